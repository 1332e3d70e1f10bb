# The helpers every legacy repository kept in its utils.py, called from the other files.
import torch
from torch.autograd import Variable


def to_var(x, volatile=False):
    if torch.cuda.is_available():
        x = x.cuda()
    return Variable(x, volatile=volatile)


def var(a):
    return Variable(a, volatile=True)
