# A 2017-style sequence tagger that no longer runs on torch 2.x: its word dropout calls the
# removed private `_backend.Embedding.apply`, it sorts the batch by length with
# `np.sort(lengths)[::-1]` (a negative-stride array torch refuses), and it masks padding with a
# uint8 mask that `masked_fill` rejects.
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.autograd import Variable
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


def drop_rows(table, tokens, p=0.1, training=False):
    weight = table.weight
    if training and p:
        keep = weight.data.new(weight.size(0), 1).bernoulli_(1 - p) / (1 - p)
        weight = Variable(keep) * weight
    pad = table.padding_idx
    if pad is None:
        pad = -1
    return table._backend.Embedding.apply(tokens, weight, pad, table.max_norm, table.norm_type,
                                          table.scale_grad_by_freq, table.sparse)


class Tagger(nn.Module):
    def __init__(self, vocab, dim, tags):
        super(Tagger, self).__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.rnn = nn.GRU(dim, dim, batch_first=True)
        self.out = nn.Linear(dim, tags)

    def forward(self, tokens, lengths):
        order = np.argsort(-lengths, kind="stable")
        lengths = np.sort(lengths)[::-1]
        tokens = tokens[torch.from_numpy(order)]
        embedded = drop_rows(self.embed, tokens, 0.2, self.training)
        packed = pack_padded_sequence(embedded, lengths, batch_first=True)
        output, _ = pad_packed_sequence(self.rnn(packed)[0], batch_first=True)
        scores = self.out(output)
        pad = (tokens[:, :output.size(1)] == 0).byte()
        scores = scores.masked_fill(pad.unsqueeze(2), -1e4)
        return F.log_softmax(scores, dim=-1)


def make_inputs():
    tokens = torch.LongTensor([[3, 4, 5, 0], [6, 7, 0, 0], [1, 2, 8, 9]])
    return tokens, np.array([3, 2, 4])
