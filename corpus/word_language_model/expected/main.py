# coding: utf-8
# Word-level language modeling (pytorch/examples word_language_model, late 2017),
# on a synthetic corpus so it runs anywhere.
import argparse
import time
import math
import torch
import torch.nn as nn
from torch.autograd import Variable

import model

parser = argparse.ArgumentParser(description='PyTorch Wikitext-2 RNN/LSTM Language Model')
parser.add_argument('--model', type=str, default='LSTM',
                    help='type of recurrent net (RNN_TANH, RNN_RELU, LSTM, GRU)')
parser.add_argument('--emsize', type=int, default=8,
                    help='size of word embeddings')
parser.add_argument('--nhid', type=int, default=8,
                    help='number of hidden units per layer')
parser.add_argument('--nlayers', type=int, default=2,
                    help='number of layers')
parser.add_argument('--lr', type=float, default=20,
                    help='initial learning rate')
parser.add_argument('--clip', type=float, default=0.25,
                    help='gradient clipping')
parser.add_argument('--bptt', type=int, default=5,
                    help='sequence length')
parser.add_argument('--cuda', action='store_true',
                    help='use CUDA')

ntokens = 20
eval_batch_size = 2


def make_inputs():
    """One bptt chunk of token ids and a zero initial state, as evaluate() feeds the model."""
    data = Variable(torch.empty(5, eval_batch_size, dtype=torch.long).random_(0, ntokens), volatile=True)
    hidden = (Variable(torch.zeros(2, eval_batch_size, 8), volatile=True),
              Variable(torch.zeros(2, eval_batch_size, 8), volatile=True))
    return data, hidden


def batchify(data, bsz, cuda=False):
    device = torch.device("cuda" if cuda else "cpu")
    # Work out how cleanly we can divide the dataset into bsz parts.
    nbatch = data.size(0) // bsz
    # Trim off any extra elements that wouldn't cleanly fit (remainders).
    data = data.narrow(0, 0, nbatch * bsz)
    # Evenly divide the data across the bsz batches.
    data = data.view(bsz, -1).t().contiguous()
    data = data.to(device)
    return data


def repackage_hidden(h):
    """Wraps hidden states in new Variables, to detach them from their history."""
    if type(h) == torch.Tensor:
        return h.detach()
    else:
        return tuple(repackage_hidden(v) for v in h)


def get_batch(source, i, bptt):
    seq_len = min(bptt, len(source) - 1 - i)
    data = source[i:i+seq_len]
    target = source[i+1:i+1+seq_len].view(-1)
    return data, target


def evaluate(lm, criterion, data_source, bptt):
    # Turn on evaluation mode which disables dropout.
    lm.eval()
    total_loss = 0
    hidden = lm.init_hidden(eval_batch_size)
    for i in range(0, data_source.size(0) - 1, bptt):
        with torch.no_grad():
            data, targets = get_batch(data_source, i, bptt)
            output, hidden = lm(data, hidden)
            output_flat = output.view(-1, ntokens)
            total_loss += len(data) * criterion(output_flat, targets).data
            hidden = repackage_hidden(hidden)
    return total_loss.item() / len(data_source)


def train(lm, criterion, train_data, args, epoch):
    # Turn on training mode which enables dropout.
    lm.train()
    total_loss = 0
    start_time = time.time()
    hidden = lm.init_hidden(eval_batch_size)
    for batch, i in enumerate(range(0, train_data.size(0) - 1, args.bptt)):
        data, targets = get_batch(train_data, i, args.bptt)
        # Starting each batch, we detach the hidden state from how it was previously produced.
        # If we didn't, the model would try backpropagating all the way to start of the dataset.
        hidden = repackage_hidden(hidden)
        lm.zero_grad()
        output, hidden = lm(data, hidden)
        loss = criterion(output.view(-1, ntokens), targets)
        loss.backward()

        # `clip_grad_norm` helps prevent the exploding gradient problem in RNNs / LSTMs.
        torch.nn.utils.clip_grad_norm_(lm.parameters(), args.clip)
        for p in lm.parameters():
            p.data.add_(p.grad.data, alpha=-args.lr)

        total_loss += loss.data
    cur_loss = total_loss.item() / (batch + 1)
    print('| epoch {:3d} | lr {:02.2f} | ms/batch {:5.2f} | loss {:5.2f} | ppl {:8.2f}'.format(
        epoch, args.lr, (time.time() - start_time) * 1000, cur_loss, math.exp(cur_loss)))


if __name__ == '__main__':
    args = parser.parse_args()
    device = torch.device("cuda" if args.cuda else "cpu")
    torch.manual_seed(1111)
    corpus = torch.empty(200, dtype=torch.long).random_(0, ntokens)
    train_data = batchify(corpus[:160], eval_batch_size, args.cuda)
    val_data = batchify(corpus[160:], eval_batch_size, args.cuda)
    lm = model.RNNModel(args.model, ntokens, args.emsize, args.nhid, args.nlayers)
    lm.to(device)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(1, 3):
        train(lm, criterion, train_data, args, epoch)
        val_loss = evaluate(lm, criterion, val_data, args.bptt)
        print('| end of epoch {:3d} | valid loss {:5.2f}'.format(epoch, val_loss))
