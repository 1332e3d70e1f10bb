# The model and its train/eval code, in a third file: `evaluate` calls get_batch with
# evaluation=True, the sampler calls utils.to_var(..., volatile=True), the scorer utils.var(...).
import torch.nn as nn

import utils
from data import BPTT, get_batch
import torch


class TinyLM(nn.Module):
    def __init__(self, ntoken=10, nhid=8):
        super(TinyLM, self).__init__()
        self.encoder = nn.Embedding(ntoken, nhid)
        self.rnn = nn.GRU(nhid, nhid)
        self.decoder = nn.Linear(nhid, ntoken)

    def forward(self, input):
        emb = self.encoder(input)
        output, _ = self.rnn(emb)
        return self.decoder(output.view(-1, output.size(2)))


def evaluate(model, source):
    criterion = nn.CrossEntropyLoss()
    total_loss = 0
    for i in range(0, source.size(0) - 1, BPTT):
        with torch.no_grad():
            data, targets = get_batch(source, i)
            output = model(data)
            total_loss += len(data) * criterion(output, targets)
    return total_loss / len(source)


def train_loss(model, source):
    criterion = nn.CrossEntropyLoss()
    data, targets = get_batch(source, 0)
    return criterion(model(data), targets)


class Harness(nn.Module):
    """Training loss (has a graph) beside evaluations through helpers of other files (volatile)."""

    def __init__(self):
        super(Harness, self).__init__()
        self.lm = TinyLM()

    def forward(self, source):
        loss = train_loss(self.lm, source)
        eval_loss = evaluate(self.lm, source)
        with torch.no_grad():
            noise = utils.to_var(source[:1])
            sampled = self.lm(noise)
            scores = self.lm(utils.var(source[:2])).max(1)[0]
            return loss, eval_loss, sampled, scores
