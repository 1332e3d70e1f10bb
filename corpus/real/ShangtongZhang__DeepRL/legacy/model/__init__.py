from .action_conditional_video_prediction import *
from .dataset import *