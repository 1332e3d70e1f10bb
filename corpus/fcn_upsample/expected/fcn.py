# Tiny fully-convolutional segmenter with skip connections (FCN-8s flavour, Long et al. 2015).
# Images are normalised inside the model with the ImageNet mean/std, moved to the GPU
# once at construction.
import torch
import torch.nn as nn
import torch.nn.functional as F


class FCN(nn.Module):
    def __init__(self, n_class=3, use_gpu=True):
        super(FCN, self).__init__()
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406], dtype=torch.float).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225], dtype=torch.float).view(1, 3, 1, 1), persistent=False)

        self.block1 = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(inplace=True),
                                    nn.MaxPool2d(2))                       # 1/2
        self.block2 = nn.Sequential(nn.Conv2d(4, 8, 3, padding=1), nn.ReLU(inplace=True),
                                    nn.MaxPool2d(2))                       # 1/4
        self.block3 = nn.Sequential(nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(inplace=True),
                                    nn.MaxPool2d(2))                       # 1/8
        self.score3 = nn.Conv2d(8, n_class, 1)
        self.score2 = nn.Conv2d(8, n_class, 1)
        self.score1 = nn.Conv2d(4, n_class, 1)
        self.edge = nn.Conv2d(n_class, 1, 3, padding=1)

        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight.data)
                m.bias.data.zero_()

    def forward(self, x):
        x = (x - self.mean) / self.std
        h1 = self.block1(x)
        h2 = self.block2(h1)
        h3 = self.block3(h2)

        s = self.score3(h3)
        s = F.interpolate(s, scale_factor=2, mode='nearest') + self.score2(h2)
        s = F.interpolate(s, scale_factor=2, mode="bilinear", align_corners=True) + self.score1(h1)
        s = F.interpolate(s, size=x.size()[2:], mode='bilinear', align_corners=True)
        # auxiliary boundary head
        edge = F.sigmoid(self.edge(F.tanh(s)))
        return F.log_softmax(s, dim=1), edge
