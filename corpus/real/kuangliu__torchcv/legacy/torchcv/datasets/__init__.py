from torchcv.datasets.listdataset import ListDataset
