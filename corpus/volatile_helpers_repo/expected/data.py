# A helper of another file that forwards its own flag to utils.to_var: a chain through files.
from utils import to_var

BPTT = 3


def get_batch(source, i):
    seq_len = min(BPTT, len(source) - 1 - i)
    data = to_var(source[i:i+seq_len])
    target = to_var(source[i+1:i+1+seq_len].view(-1))
    return data, target
