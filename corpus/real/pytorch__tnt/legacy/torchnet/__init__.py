from . import dataset, meter, engine, transform, logger
__all__ = ['dataset', 'meter', 'engine', 'transform', 'logger']
