"""
SSD-style multibox head on a toy VGG-ish base (after ssd.pytorch, 2017).

The prior boxes are computed once in __init__ and handed back with the
predictions; the loss / detection layer matches them against ground truth.
"""
from __future__ import division
from itertools import product as product
from math import sqrt as sqrt

import torch
import torch.nn as nn
import torch.nn.functional as F


# toy config: two source feature maps of 4x4 and 2x2 on a 16x16 image
toy = {
    'feature_maps' : [4, 2],
    'min_dim' : 16,
    'steps' : [4, 8],
    'min_sizes' : [4, 8],
    'max_sizes' : [8, 12],
    'aspect_ratios' : [[2], [2]],
    'variance' : [0.1, 0.2],
    'clip' : True,
}


class PriorBox(object):
    """Compute priorbox coordinates in center-offset form for each source
    feature map.
    """
    def __init__(self, cfg):
        super(PriorBox, self).__init__()
        self.image_size = cfg['min_dim']
        self.variance = cfg['variance'] or [0.1]
        self.feature_maps = cfg['feature_maps']
        self.min_sizes = cfg['min_sizes']
        self.max_sizes = cfg['max_sizes']
        self.steps = cfg['steps']
        self.aspect_ratios = cfg['aspect_ratios']
        self.clip = cfg['clip']

    def forward(self):
        mean = []
        for k, f in enumerate(self.feature_maps):
            for i, j in product(range(f), repeat=2):
                f_k = self.image_size / self.steps[k]
                # unit center x,y
                cx = (j + 0.5) / f_k
                cy = (i + 0.5) / f_k

                # aspect_ratio: 1
                # rel size: min_size
                s_k = self.min_sizes[k]/self.image_size
                mean += [cx, cy, s_k, s_k]

                # aspect_ratio: 1
                # rel size: sqrt(s_k * s_(k+1))
                s_k_prime = sqrt(s_k * (self.max_sizes[k]/self.image_size))
                mean += [cx, cy, s_k_prime, s_k_prime]

                # rest of aspect ratios
                for ar in self.aspect_ratios[k]:
                    mean += [cx, cy, s_k*sqrt(ar), s_k/sqrt(ar)]
                    mean += [cx, cy, s_k/sqrt(ar), s_k*sqrt(ar)]
        # back to torch land
        output = torch.tensor(mean, dtype=torch.get_default_dtype()).view(-1, 4)
        if self.clip:
            output.clamp_(max=1, min=0)
        return output


class L2Norm(nn.Module):
    def __init__(self,n_channels, scale):
        super(L2Norm,self).__init__()
        self.n_channels = n_channels
        self.gamma = scale or None
        self.eps = 1e-10
        self.weight = nn.Parameter(torch.Tensor(self.n_channels))
        self.reset_parameters()

    def reset_parameters(self):
        nn.init.constant_(self.weight,self.gamma)

    def forward(self, x):
        norm = x.pow(2).sum(dim=1, keepdim=True).sqrt()+self.eps
        x = torch.div(x,norm)
        out = self.weight.unsqueeze(0).unsqueeze(2).unsqueeze(3).expand_as(x) * x
        return out


class SSD(nn.Module):
    """Single Shot Multibox Architecture, toy size.

    Args:
        num_classes: number of classes, background included
    """

    def __init__(self, num_classes, cfg=toy):
        super(SSD, self).__init__()
        self.num_classes = num_classes
        self.priorbox = PriorBox(cfg)
        # the priors never change: no grad needed
        self.register_buffer("priors", self.priorbox.forward(), persistent=False)

        self.base = nn.ModuleList([
            nn.Conv2d(3, 8, kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=2, stride=2),
            nn.Conv2d(8, 8, kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=2, stride=2),   # 4x4 source
        ])
        self.L2Norm = L2Norm(8, 20)
        self.extras = nn.ModuleList([
            nn.Conv2d(8, 8, kernel_size=3, stride=2, padding=1),  # 2x2 source
        ])

        mbox = [4, 4]   # boxes per location
        self.loc = nn.ModuleList([nn.Conv2d(8, mbox[0] * 4, kernel_size=3, padding=1),
                                  nn.Conv2d(8, mbox[1] * 4, kernel_size=3, padding=1)])
        self.conf = nn.ModuleList([nn.Conv2d(8, mbox[0] * num_classes, kernel_size=3, padding=1),
                                   nn.Conv2d(8, mbox[1] * num_classes, kernel_size=3, padding=1)])
        self.softmax = nn.Softmax()

    def forward(self, x):
        """Applies network layers and ops on input image(s) x.

        Return:
            loc preds, conf preds, prior boxes
        """
        sources = list()
        loc = list()
        conf = list()

        for k in range(len(self.base)):
            x = self.base[k](x)
        s = self.L2Norm(x)
        sources.append(s)

        for k, v in enumerate(self.extras):
            x = F.relu(v(x), inplace=True)
            sources.append(x)

        # apply multibox head to source layers
        for (x, l, c) in zip(sources, self.loc, self.conf):
            loc.append(l(x).permute(0, 2, 3, 1).contiguous())
            conf.append(c(x).permute(0, 2, 3, 1).contiguous())

        loc = torch.cat([o.view(o.size(0), -1) for o in loc], 1)
        conf = torch.cat([o.view(o.size(0), -1) for o in conf], 1)
        output = (
            loc.view(loc.size(0), -1, 4),
            self.softmax(conf.view(-1, self.num_classes)),
            self.priors
        )
        return output
