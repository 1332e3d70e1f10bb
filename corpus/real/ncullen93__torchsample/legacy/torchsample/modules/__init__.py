from __future__ import absolute_import

from .module_trainer import ModuleTrainer
