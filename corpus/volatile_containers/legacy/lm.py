# Volatile values collected in local containers: a list filled in a loop and a dict of inputs, read
# after a training step. In 0.3 what was computed from their items was volatile; the training
# step in between kept its graph.
import torch
import torch.nn as nn
from torch.autograd import Variable


class TinyLM(nn.Module):
    def __init__(self, ntoken=10, nhid=8):
        super(TinyLM, self).__init__()
        self.encoder = nn.Embedding(ntoken, nhid)
        self.decoder = nn.Linear(nhid, ntoken)

    def forward(self, input):
        return self.decoder(torch.tanh(self.encoder(input)))


class Harness(nn.Module):
    def __init__(self):
        super(Harness, self).__init__()
        self.lm = TinyLM()

    def forward(self, source):
        inputs = []
        for row in source[:3]:
            inputs.append(Variable(row, volatile=True))
        batch = {}
        batch['src'] = Variable(source[3:], volatile=True)
        loss = self.lm(source).sum()
        scores = torch.stack([self.lm(x).max() for x in inputs])
        best = self.lm(batch['src']).max(1)[0]
        return loss, scores, best
