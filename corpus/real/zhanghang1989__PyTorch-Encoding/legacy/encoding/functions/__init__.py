"""Encoding Autograd Fuctions"""
from .encoding import *
from .syncbn import *
from .customize import *
