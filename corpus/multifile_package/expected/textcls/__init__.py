from .base import BaseModel
from .models import CNNText

__all__ = ['BaseModel', 'CNNText']
