# coding: utf-8
# Seq2seq with (Luong "general") attention, toy size.
# Adapted from the practical-pytorch translation tutorial (2017), batched with masks.
import torch
import torch.nn as nn
import torch.nn.functional as F

USE_CUDA = True


def sequence_mask(sequence_length, max_len=None):
    if max_len is None:
        max_len = sequence_length.data.max()
    batch_size = sequence_length.size(0)
    seq_range = torch.arange(0, max_len).long()
    seq_range_expand = seq_range.unsqueeze(0).expand(batch_size, max_len).to(sequence_length.device)
    seq_length_expand = (sequence_length.unsqueeze(1)
                         .expand_as(seq_range_expand))
    return seq_range_expand < seq_length_expand


class EncoderRNN(nn.Module):
    def __init__(self, input_size, hidden_size, n_layers=1, dropout=0.1):
        super(EncoderRNN, self).__init__()

        self.input_size = input_size
        self.hidden_size = hidden_size
        self.n_layers = n_layers

        self.embedding = nn.Embedding(input_size, hidden_size)
        self.gru = nn.GRU(hidden_size, hidden_size, n_layers, dropout=dropout, bidirectional=True)

    def init_hidden(self, batch_size):
        hidden = torch.zeros(self.n_layers * 2, batch_size, self.hidden_size, device=next(self.parameters()).device)
        return hidden

    def forward(self, input_seqs, hidden=None):
        # input_seqs: S x B
        embedded = self.embedding(input_seqs)
        if hidden is None:
            hidden = self.init_hidden(input_seqs.size(1))
        outputs, hidden = self.gru(embedded, hidden)
        # Sum bidirectional outputs
        outputs = outputs[:, :, :self.hidden_size] + outputs[:, : ,self.hidden_size:]
        return outputs, hidden


class Attn(nn.Module):
    def __init__(self, hidden_size):
        super(Attn, self).__init__()
        self.hidden_size = hidden_size
        self.attn = nn.Linear(self.hidden_size, hidden_size)

    def forward(self, hidden, encoder_outputs, mask=None):
        # hidden: B x H, encoder_outputs: S x B x H
        energy = self.attn(encoder_outputs).transpose(0, 1)          # B x S x H
        attn_energies = torch.bmm(energy, hidden.unsqueeze(2)).squeeze(2)  # B x S
        if mask is not None:
            attn_energies = attn_energies.masked_fill(mask == 0, -1e12)
        # Normalize energies to weights in range 0 to 1, resize to B x 1 x S
        return F.softmax(attn_energies).unsqueeze(1)


class LuongAttnDecoderRNN(nn.Module):
    def __init__(self, hidden_size, output_size, n_layers=1, dropout=0.1):
        super(LuongAttnDecoderRNN, self).__init__()

        # Keep for reference
        self.hidden_size = hidden_size
        self.output_size = output_size
        self.n_layers = n_layers

        # Define layers
        self.embedding = nn.Embedding(output_size, hidden_size)
        self.gru = nn.GRU(hidden_size, hidden_size, n_layers, dropout=dropout)
        self.concat = nn.Linear(hidden_size * 2, hidden_size)
        self.out = nn.Linear(hidden_size, output_size)
        self.attn = Attn(hidden_size)

    def forward(self, input_seq, last_hidden, encoder_outputs, mask=None):
        # Note: we run this one step at a time
        batch_size = input_seq.size(0)
        embedded = self.embedding(input_seq)
        embedded = embedded.view(1, batch_size, self.hidden_size) # S=1 x B x N

        rnn_output, hidden = self.gru(embedded, last_hidden)
        rnn_output = rnn_output.squeeze(0) # B x N

        attn_weights = self.attn(rnn_output, encoder_outputs, mask)
        context = attn_weights.bmm(encoder_outputs.transpose(0, 1)).squeeze(1) # B x N

        concat_input = torch.cat((rnn_output, context), 1)
        concat_output = F.tanh(self.concat(concat_input))

        output = self.out(concat_output)
        return output, hidden, attn_weights


class Seq2Seq(nn.Module):
    """Teacher-forced encoder/decoder; returns the decoder logits T x B x V."""

    def __init__(self, src_vocab, tgt_vocab, hidden_size=8, sos_token=1):
        super(Seq2Seq, self).__init__()
        self.sos_token = sos_token
        self.encoder = EncoderRNN(src_vocab, hidden_size)
        self.decoder = LuongAttnDecoderRNN(hidden_size, tgt_vocab)

    def forward(self, input_batches, input_lengths, target_batches):
        encoder_outputs, encoder_hidden = self.encoder(input_batches)
        mask = sequence_mask(input_lengths, input_batches.size(0))

        batch_size = input_batches.size(1)
        decoder_input = torch.tensor([self.sos_token] * batch_size, dtype=torch.long, device=input_batches.device)
        # forward half of the bidirectional encoder starts the decoder
        decoder_hidden = encoder_hidden[:self.decoder.n_layers]

        max_target_length = target_batches.size(0)
        all_decoder_outputs = torch.zeros(max_target_length, batch_size, self.decoder.output_size, device=input_batches.device)

        for t in range(max_target_length):
            decoder_output, decoder_hidden, decoder_attn = self.decoder(
                decoder_input, decoder_hidden, encoder_outputs, mask)
            all_decoder_outputs[t] = decoder_output
            decoder_input = target_batches[t] # Next input is current target

        return all_decoder_outputs


def make_inputs():
    """A padded batch: lengths sorted decreasing, as pack_padded_sequence wants."""
    input_lengths = torch.tensor([5, 3], dtype=torch.long)
    input_batches = torch.empty(5, 2, dtype=torch.long).random_(2, 12)
    input_batches[3:, 1] = 0    # PAD
    target_batches = torch.empty(4, 2, dtype=torch.long).random_(2, 10)
    return input_batches, input_lengths, target_batches
