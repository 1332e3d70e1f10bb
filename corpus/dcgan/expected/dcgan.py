# DCGAN (Radford et al.), after pytorch/examples dcgan/main.py, shrunk to 16x16 images.
from __future__ import print_function
import random
import torch
import torch.nn as nn
import torch.nn.parallel
import torch.backends.cudnn as cudnn
import torch.optim as optim

nz = 8      # size of the latent z vector
ngf = 4
ndf = 4
nc = 3
batchSize = 2
cuda = True
device = torch.device("cuda" if cuda and torch.cuda.is_available() else "cpu")


# custom weights initialization called on netG and netD
def weights_init(m):
    classname = m.__class__.__name__
    if classname.find('Conv') != -1:
        m.weight.data.normal_(0.0, 0.02)
    elif classname.find('BatchNorm') != -1:
        m.weight.data.normal_(1.0, 0.02)
        m.bias.data.fill_(0)


class _netG(nn.Module):
    def __init__(self, ngpu=1):
        super(_netG, self).__init__()
        self.ngpu = ngpu
        self.main = nn.Sequential(
            # input is Z, going into a convolution
            nn.ConvTranspose2d(     nz, ngf * 4, 4, 1, 0, bias=False),
            nn.BatchNorm2d(ngf * 4),
            nn.ReLU(True),
            # state size. (ngf*4) x 4 x 4
            nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ngf * 2),
            nn.ReLU(True),
            # state size. (ngf*2) x 8 x 8
            nn.ConvTranspose2d(ngf * 2,      nc, 4, 2, 1, bias=False),
            nn.Tanh()
            # state size. (nc) x 16 x 16
        )
        self.apply(weights_init)

    def forward(self, input):
        if (input.data.is_cuda and input.data.dtype == torch.float) and self.ngpu > 1:
            output = nn.parallel.data_parallel(self.main, input, range(self.ngpu))
        else:
            output = self.main(input)
        return output


class _netD(nn.Module):
    def __init__(self, ngpu=1):
        super(_netD, self).__init__()
        self.ngpu = ngpu
        self.main = nn.Sequential(
            # input is (nc) x 16 x 16
            nn.Conv2d(nc, ndf, 4, 2, 1, bias=False),
            nn.LeakyReLU(0.2, inplace=True),
            # state size. (ndf) x 8 x 8
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ndf * 2),
            nn.LeakyReLU(0.2, inplace=True),
            # state size. (ndf*2) x 4 x 4
            nn.Conv2d(ndf * 2, 1, 4, 1, 0, bias=False),
            nn.Sigmoid()
        )
        self.apply(weights_init)

    def forward(self, input):
        if (input.data.is_cuda and input.data.dtype == torch.float) and self.ngpu > 1:
            output = nn.parallel.data_parallel(self.main, input, range(self.ngpu))
        else:
            output = self.main(input)

        return output.view(-1, 1).squeeze(1)


def make_fixed_noise():
    """The noise the samples are drawn from every epoch, to watch G improve."""
    fixed_noise = torch.empty(batchSize, nz, 1, 1, dtype=torch.float).normal_(0, 1)
    fixed_noise = fixed_noise.to(device)
    return (fixed_noise,)


def make_images():
    return (torch.empty(batchSize, nc, 16, 16, dtype=torch.float).uniform_(-1, 1),)


if __name__ == '__main__':
    manualSeed = random.randint(1, 10000)
    print("Random Seed: ", manualSeed)
    random.seed(manualSeed)
    torch.manual_seed(manualSeed)
    cudnn.benchmark = True

    netG, netD = _netG(), _netD()
    criterion = nn.BCELoss()
    input = torch.empty(batchSize, 3, 16, 16, dtype=torch.float)
    noise = torch.empty(batchSize, nz, 1, 1, dtype=torch.float)
    fixed_noise = torch.empty(batchSize, nz, 1, 1, dtype=torch.float).normal_(0, 1)
    label = torch.empty(batchSize, dtype=torch.float)
    real_label = 1
    fake_label = 0
    netD.to(device)
    netG.to(device)
    criterion.to(device)
    input, label = input.to(device), label.to(device)
    noise, fixed_noise = noise.to(device), fixed_noise.to(device)

    optimizerD = optim.Adam(netD.parameters(), lr=0.0002, betas=(0.5, 0.999))
    optimizerG = optim.Adam(netG.parameters(), lr=0.0002, betas=(0.5, 0.999))

    for i in range(3):
        # (1) Update D network: maximize log(D(x)) + log(1 - D(G(z)))
        netD.zero_grad()
        real_cpu = torch.empty(batchSize, nc, 16, 16, dtype=torch.float).uniform_(-1, 1)
        input.resize_as_(real_cpu).copy_(real_cpu)
        label.resize_(batchSize).fill_(real_label)
        inputv = input
        labelv = label

        output = netD(inputv)
        errD_real = criterion(output, labelv)
        errD_real.backward()
        D_x = output.data.mean()

        noise.resize_(batchSize, nz, 1, 1).normal_(0, 1)
        noisev = noise
        fake = netG(noisev)
        labelv = label.fill_(fake_label)
        output = netD(fake.detach())
        errD_fake = criterion(output, labelv)
        errD_fake.backward()
        errD = errD_real + errD_fake
        optimizerD.step()

        # (2) Update G network: maximize log(D(G(z)))
        netG.zero_grad()
        labelv = label.fill_(real_label)  # fake labels are real for generator cost
        output = netD(fake)
        errG = criterion(output, labelv)
        errG.backward()
        optimizerG.step()

        print('[%d] Loss_D: %.4f Loss_G: %.4f D(x): %.4f'
              % (i, errD.item(), errG.item(), D_x))
        fake = netG(fixed_noise)
