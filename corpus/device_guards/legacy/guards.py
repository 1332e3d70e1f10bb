# Device guards as 2017 code wrote them: a PointNet input transform whose identity comes from
# numpy and follows the input only under `if x.is_cuda`, a 3D-ResNet shortcut that pads with zeros
# moved under a type test, a noisy layer whose registered noise is moved under a global flag, a
# sampling grid kept on self and moved in forward, and a script part with a `use_cuda` switch.
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.autograd import Variable

use_cuda = torch.cuda.is_available()
USE_CUDA = use_cuda


class STN3d(nn.Module):
    def __init__(self):
        super(STN3d, self).__init__()
        self.conv1 = nn.Conv1d(3, 8, 1)
        self.fc1 = nn.Linear(8, 9)

    def forward(self, x):
        batchsize = x.size()[0]
        x = F.relu(self.conv1(x))
        x = torch.max(x, 2)[0]
        x = self.fc1(x)
        iden = Variable(torch.from_numpy(np.array([1, 0, 0, 0, 1, 0, 0, 0, 1]).astype(np.float32))).view(1, 9).repeat(batchsize, 1)
        if x.is_cuda:
            iden = iden.cuda()
        x = x + iden
        x = x.view(-1, 3, 3)
        return x


def downsample_basic_block(x, planes, stride):
    out = F.avg_pool3d(x, kernel_size=1, stride=stride)
    zero_pads = torch.Tensor(out.size(0), planes - out.size(1), out.size(2), out.size(3),
                             out.size(4)).zero_()
    if isinstance(out.data, torch.cuda.FloatTensor):
        zero_pads = zero_pads.cuda()
    out = Variable(torch.cat([out.data, zero_pads], dim=1))
    return out


class ShortcutBlock(nn.Module):
    def __init__(self, inplanes, planes):
        super(ShortcutBlock, self).__init__()
        self.conv = nn.Conv3d(inplanes, planes, 3, stride=2, padding=1)
        self.planes = planes

    def forward(self, x):
        return F.relu(self.conv(x) + downsample_basic_block(x, self.planes, 2))


class NoisyLinear(nn.Module):
    def __init__(self, in_features, out_features, std_init=0.4):
        super(NoisyLinear, self).__init__()
        self.weight_mu = nn.Parameter(torch.FloatTensor(out_features, in_features))
        self.weight_sigma = nn.Parameter(torch.FloatTensor(out_features, in_features).fill_(std_init))
        self.register_buffer('weight_epsilon', torch.FloatTensor(out_features, in_features))
        self.weight_mu.data.uniform_(-0.5, 0.5)
        self.weight_epsilon.normal_()

    def forward(self, x):
        weight_epsilon = self.weight_epsilon.cuda() if USE_CUDA else self.weight_epsilon
        weight = self.weight_mu + self.weight_sigma.mul(Variable(weight_epsilon))
        return F.linear(x, weight)


class AffineGrid(nn.Module):
    def __init__(self, height, width):
        super(AffineGrid, self).__init__()
        self.height, self.width = height, width

    def forward(self, input):
        self.batchgrid = torch.zeros(input.size(0), self.height, self.width, 3)
        if input.is_cuda:
            self.batchgrid = self.batchgrid.cuda()
        self.batchgrid[:, :, :, 2] = 1
        return torch.matmul(self.batchgrid, input.view(-1, 1, 3, 2))


def make_points():
    points = torch.randn(2, 3, 16)
    if use_cuda:
        points = points.cuda()
    return (Variable(points),)


def make_volumes():
    volumes = torch.randn(2, 4, 4, 4, 4)
    return (volumes.cuda() if use_cuda else volumes,)


if __name__ == '__main__':
    model = STN3d()
    if use_cuda:
        model.cuda()
    print(model(*make_points()))
