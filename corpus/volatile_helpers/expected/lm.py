# Volatile flags that helpers forward to `Variable`, as legacy code copied them everywhere:
# the word-language-model `get_batch(source, i, evaluation=False)`, the GAN repositories'
# `to_var(x, volatile=False)`, and a method called on `self` with the flag.
import torch
import torch.nn as nn
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

BPTT = 3


def to_var(x):
    if torch.cuda.is_available():
        x = x.to(device)
    return x


def get_batch(source, i):
    seq_len = min(BPTT, len(source) - 1 - i)
    data = source[i:i+seq_len]
    target = source[i+1:i+1+seq_len].view(-1)
    return data, target


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

    def wrap(self, x, flag=False):
        return x

    def score(self, x):
        with torch.no_grad():
            x = self.wrap(x, True)
            return self.forward(x).max(1)[0]


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
    """Training loss (has a graph) beside three evaluations through helpers (volatile)."""

    def __init__(self):
        super(Harness, self).__init__()
        self.lm = TinyLM()

    def forward(self, source):
        loss = train_loss(self.lm, source)
        eval_loss = evaluate(self.lm, source)
        scores = self.lm.score(source[:2])
        with torch.no_grad():
            noise = to_var(source[:1])
            sampled = self.lm(noise)
            return loss, eval_loss, scores, sampled
