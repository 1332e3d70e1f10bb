# Spatial transformer network (Jaderberg et al. 2015) with an explicit sampling grid.
# F.affine_grid was new and buggy on some cards, so the identity grid is built once with
# numpy and the localisation net predicts the 2x3 affine transform applied to it.
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class AffineGridGen(nn.Module):
    def __init__(self, height, width):
        super(AffineGridGen, self).__init__()
        self.height, self.width = height, width
        # homogeneous coordinates of every output pixel, in [-1, 1]
        grid = np.zeros( [self.height, self.width, 3], dtype=np.float32)
        grid[:,:,0] = np.expand_dims(np.repeat(np.expand_dims(np.linspace(-1, 1, self.height), 0), repeats = self.width, axis = 0).T, 0)
        grid[:,:,1] = np.expand_dims(np.repeat(np.expand_dims(np.linspace(-1, 1, self.width), 0), repeats = self.height, axis = 0), 0)
        grid[:,:,2] = np.ones([self.height, width])
        self.register_buffer("grid", torch.from_numpy(grid.astype(np.float32)), persistent=False)

    def forward(self, theta):
        b = theta.size(0)
        batchgrid = self.grid.unsqueeze(0).expand(b, self.height, self.width, 3)
        batchgrid = batchgrid.view(-1, self.height*self.width, 3)
        # (y, x) order in the grid above, grid_sample wants (x, y)
        output = torch.bmm(batchgrid, torch.transpose(theta, 1, 2))
        output = output.view(-1, self.height, self.width, 2)
        return torch.cat([output[..., 1:2], output[..., 0:1]], 3)


class STNNet(nn.Module):
    def __init__(self, size=12, n_classes=4):
        super(STNNet, self).__init__()
        self.conv1 = nn.Conv2d(1, 4, kernel_size=3, padding=1)
        self.fc1 = nn.Linear(4 * (size // 2) * (size // 2), n_classes)

        # Spatial transformer localization-network
        self.localization = nn.Sequential(
            nn.Conv2d(1, 4, kernel_size=3),
            nn.MaxPool2d(2, stride=2),
            nn.ReLU(True)
        )
        n_loc = 4 * ((size - 2) // 2) ** 2
        # Regressor for the 3 * 2 affine matrix
        self.fc_loc = nn.Sequential(
            nn.Linear(n_loc, 8),
            nn.ReLU(True),
            nn.Linear(8, 3 * 2)
        )
        # Initialize the weights/bias with a small perturbation of the identity
        # (exact identity makes every test image look the same)
        self.fc_loc[2].weight.data.normal_(0, 0.01)
        self.fc_loc[2].bias.data.copy_(torch.tensor([1, 0.1, 0, -0.1, 1, 0], dtype=torch.float))
        # the affine matrix acts on (y, x, 1)
        self.gridgen = AffineGridGen(size, size)

    def stn(self, x):
        xs = self.localization(x)
        xs = xs.view(xs.size(0), -1)
        theta = self.fc_loc(xs)
        theta = theta.view(-1, 2, 3)

        grid = self.gridgen(theta)
        x = F.grid_sample(x, grid, align_corners=True)
        return x

    def forward(self, x):
        # transform the input
        x = self.stn(x)

        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = x.view(x.size(0), -1)
        x = F.dropout(x, training=self.training)
        x = self.fc1(x)
        return F.log_softmax(x)
