# Kim (2014) CNN sentence classifier, toy size.
# BaseModel lives in base.py: nothing in this file says CNNText is an nn.Module.
import torch
import torch.nn.functional as F
from torch import nn

from .base import BaseModel


class CNNText(BaseModel):
    def __init__(self, vocab_size, n_classes, embed_dim=8, kernel_sizes=(2, 3), n_filters=4):
        super(CNNText, self).__init__()
        self.embed = nn.Embedding(vocab_size, embed_dim)
        self.convs1 = nn.ModuleList([nn.Conv2d(1, n_filters, (K, embed_dim)) for K in kernel_sizes])
        self.dropout = nn.Dropout(0.5)
        self.fc1 = nn.Linear(len(kernel_sizes) * n_filters, n_classes)
        # class prior (log frequencies of the training labels) added to the logits
        self.register_buffer("log_prior", torch.log(torch.tensor([0.5, 0.3, 0.2], dtype=torch.float)), persistent=False)

    def forward(self, x):
        x = self.embed(x)  # (N, W, D)
        x = x.unsqueeze(1)  # (N, Ci, W, D)
        x = [F.relu(conv(x)).squeeze(3) for conv in self.convs1]  # [(N, Co, W), ...]*len(Ks)
        x = [F.max_pool1d(i, i.size(2)).squeeze(2) for i in x]  # [(N, Co), ...]*len(Ks)
        x = torch.cat(x, 1)
        x = self.dropout(x)  # (N, len(Ks)*Co)
        logit = self.fc1(x) + self.log_prior.expand(x.size(0), self.log_prior.size(0))
        return logit
