"""Dilated ResNet and DenseNet"""
from .resnet import *
from .densenet import *
