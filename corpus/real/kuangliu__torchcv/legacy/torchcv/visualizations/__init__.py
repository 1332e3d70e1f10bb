from torchcv.visualizations.vis_image import vis_image
