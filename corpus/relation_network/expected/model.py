# Relation Network for Sort-of-CLEVR (Santoro et al. 2017), shrunk.
# After kimhc6028/relational-networks: the (x, y) coordinate of every cell is
# appended to its feature vector, and g_theta runs on every pair of cells.
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class ConvInputModel(nn.Module):
    def __init__(self):
        super(ConvInputModel, self).__init__()

        self.conv1 = nn.Conv2d(3, 4, 3, stride=2, padding=1)
        self.batchNorm1 = nn.BatchNorm2d(4)
        self.conv2 = nn.Conv2d(4, 4, 3, stride=2, padding=1)
        self.batchNorm2 = nn.BatchNorm2d(4)

    def forward(self, img):
        """convolution"""
        x = self.conv1(img)
        x = F.relu(x)
        x = self.batchNorm1(x)
        x = self.conv2(x)
        x = F.relu(x)
        x = self.batchNorm2(x)
        return x


class RN(nn.Module):
    def __init__(self, batch_size=2, qst_dim=5, cuda=True):
        super(RN, self).__init__()
        self.conv = ConvInputModel()

        ##(number of filters per object+coordinate of object)*2+question vector
        self.g_fc1 = nn.Linear((4+2)*2+qst_dim, 16)
        self.g_fc2 = nn.Linear(16, 16)
        self.f_fc1 = nn.Linear(16, 16)
        self.fc_out = nn.Linear(16, 10)

        # prepare coord tensor
        def cvt_coord(i):
            return [(i/2-1)/1., (i%2-1)/1.]

        self.register_buffer("coord_tensor", torch.empty(batch_size, 4, 2, dtype=torch.float), persistent=False)
        np_coord_tensor = np.zeros((batch_size, 4, 2))
        for i in range(4):
            np_coord_tensor[:,i,:] = np.array( cvt_coord(i) )
        self.coord_tensor.data.copy_(torch.from_numpy(np_coord_tensor))

    def forward(self, img, qst):
        x = self.conv(img) ## x = (mb x 4 x 2 x 2)
        """g"""
        mb = x.size()[0]
        n_channels = x.size()[1]
        d = x.size()[2]
        # x_flat = (mb x 4 x 4)
        x_flat = x.view(mb,n_channels,d*d).permute(0,2,1)

        # add coordinates
        x_flat = torch.cat([x_flat, self.coord_tensor],2)

        # add question everywhere
        qst = torch.unsqueeze(qst, 1)
        qst = qst.repeat(1,4,1)
        qst = torch.unsqueeze(qst, 2)

        # cast all pairs against each other
        x_i = torch.unsqueeze(x_flat,1) # (mb x 1 x 4 x 6)
        x_i = x_i.repeat(1,4,1,1) # (mb x 4 x 4 x 6)
        x_j = torch.unsqueeze(x_flat,2) # (mb x 4 x 1 x 6)
        x_j = torch.cat([x_j,qst],3)
        x_j = x_j.repeat(1,1,4,1) # (mb x 4 x 4 x 11)

        # concatenate all together
        x_full = torch.cat([x_i,x_j],3) # (mb x 4 x 4 x 17)

        # reshape for passing through network
        x_ = x_full.view(mb*d*d*d*d,(4+2)*2+qst.size(3))
        x_ = self.g_fc1(x_)
        x_ = F.relu(x_)
        x_ = self.g_fc2(x_)
        x_ = F.relu(x_)

        # reshape again and sum
        x_g = x_.view(mb,d*d*d*d,16)
        x_g = x_g.sum(1).squeeze()

        """f"""
        x_f = self.f_fc1(x_g)
        x_f = F.relu(x_f)
        x_f = F.dropout(x_f, training=self.training)
        return F.log_softmax(self.fc_out(x_f))
