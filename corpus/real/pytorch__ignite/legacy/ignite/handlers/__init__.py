from ignite.handlers.checkpoint import ModelCheckpoint
from ignite.handlers.timing import Timer
from ignite.handlers.early_stopping import EarlyStopping
