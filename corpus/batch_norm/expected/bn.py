# Batch normalization written out by hand (Ioffe & Szegedy 2015), the way
# course notebooks did it in 2017 to show what nn.BatchNorm1d does inside.
import torch
import torch.nn as nn
import torch.nn.functional as F


class MyBatchNorm(nn.Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super(MyBatchNorm, self).__init__()
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.weight = nn.Parameter(torch.Tensor(num_features))
        self.bias = nn.Parameter(torch.Tensor(num_features))
        # running estimates, used at test time
        self.register_buffer("running_mean", torch.zeros(num_features), persistent=True)
        self.register_buffer("running_var", torch.ones(num_features), persistent=True)
        self.reset_parameters()

    def reset_parameters(self):
        self.running_mean.zero_()
        self.running_var.fill_(1)
        self.weight.data.uniform_()
        self.bias.data.zero_()

    def forward(self, input):
        if self.training:
            mean = input.mean(0)
            var = input.var(0, unbiased=False)
            n = input.size(0)
            # update the running averages (no grad through them: .data)
            self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * mean.data
            self.running_var = (1 - self.momentum) * self.running_var \
                               + self.momentum * var.data * n / (n - 1)
        else:
            mean = self.running_mean
            var = self.running_var
        x_hat = (input - mean.expand_as(input)) / torch.sqrt(var + self.eps).expand_as(input)
        return x_hat * self.weight.expand_as(input) + self.bias.expand_as(input)


class MLP(nn.Module):
    def __init__(self, n_in=6, n_hidden=10, n_out=3):
        super(MLP, self).__init__()
        self.fc1 = nn.Linear(n_in, n_hidden)
        self.bn1 = MyBatchNorm(n_hidden)
        self.fc2 = nn.Linear(n_hidden, n_out)

    def forward(self, x):
        x = F.relu(self.bn1(self.fc1(x)))
        return self.fc2(x)


def make_trained():
    """An MLP whose running statistics moved away from 0/1: two training-mode batches."""
    net = MLP()
    net.train()
    for _ in range(2):
        net(torch.randn(8, 6))
    return net
