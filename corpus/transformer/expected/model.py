# -*- coding: utf-8 -*-
"""
A tiny Transformer encoder ("Attention is all you need", Vaswani et al. 2017).

Written against pytorch 0.3 -- the sinusoid table is precomputed once and
wrapped in a Variable at every forward (no need to backprop through it).
"""
from __future__ import print_function, division

import math
import numpy as np

import torch
import torch.nn as nn
import torch.nn.functional as F


def position_encoding_init(n_position, d_pos_vec):
    ''' Init the sinusoid position encoding table '''

    # keep dim 0 for padding token position encoding zero vector
    position_enc = np.array([
        [pos / np.power(10000, 2 * (j // 2) / d_pos_vec) for j in range(d_pos_vec)]
        if pos != 0 else np.zeros(d_pos_vec) for pos in range(n_position)])

    position_enc[1:, 0::2] = np.sin(position_enc[1:, 0::2]) # dim 2i
    position_enc[1:, 1::2] = np.cos(position_enc[1:, 1::2]) # dim 2i+1
    return torch.from_numpy(position_enc).type(torch.FloatTensor)


class LayerNormalization(nn.Module):
    ''' Layer normalization module '''

    def __init__(self, d_hid, eps=1e-3):
        super(LayerNormalization, self).__init__()

        self.eps = eps
        self.a_2 = nn.Parameter(torch.ones(d_hid), requires_grad=True)
        self.b_2 = nn.Parameter(torch.zeros(d_hid), requires_grad=True)

    def forward(self, z):
        if z.size(1) == 1:
            return z

        mu = torch.mean(z, keepdim=True, dim=-1)
        sigma = torch.std(z, keepdim=True, dim=-1)
        ln_out = (z - mu.expand_as(z)) / (sigma.expand_as(z) + self.eps)
        ln_out = ln_out * self.a_2.expand_as(ln_out) + self.b_2.expand_as(ln_out)

        return ln_out


class ScaledDotProductAttention(nn.Module):
    def __init__(self, d_model, attn_dropout=0.1):
        super(ScaledDotProductAttention, self).__init__()
        self.temper = np.power(d_model, 0.5)
        self.dropout = nn.Dropout(attn_dropout)

    def forward(self, q, k, v, attn_mask=None):
        attn = torch.bmm(q, k.transpose(1, 2)) / self.temper
        if attn_mask is not None:
            attn.data.masked_fill_(attn_mask, -float('inf'))
        # bottle it: softmax wants 2D input
        len_q, len_k = attn.size(1), attn.size(2)
        attn = F.softmax(attn.view(-1, len_k), dim=1).view(-1, len_q, len_k)
        attn = self.dropout(attn)
        output = torch.bmm(attn, v)
        return output, attn


class MultiHeadAttention(nn.Module):
    def __init__(self, n_head, d_model, d_k, d_v, dropout=0.1):
        super(MultiHeadAttention, self).__init__()
        self.n_head = n_head
        self.d_k = d_k
        self.d_v = d_v

        self.w_qs = nn.Parameter(torch.empty(n_head, d_model, d_k, dtype=torch.float))
        self.w_ks = nn.Parameter(torch.empty(n_head, d_model, d_k, dtype=torch.float))
        self.w_vs = nn.Parameter(torch.empty(n_head, d_model, d_v, dtype=torch.float))

        self.attention = ScaledDotProductAttention(d_model)
        self.proj = nn.Linear(n_head*d_v, d_model)
        self.layer_norm = LayerNormalization(d_model)
        self.dropout = nn.Dropout(dropout)

        nn.init.xavier_normal_(self.w_qs)
        nn.init.xavier_normal_(self.w_ks)
        nn.init.xavier_normal_(self.w_vs)

    def forward(self, q, k, v, attn_mask=None):
        d_k, d_v = self.d_k, self.d_v
        n_head = self.n_head

        residual = q
        mb_size, len_q, d_model = q.size()
        mb_size, len_k, d_model = k.size()

        # treat as a (n_head) size batch
        q_s = q.repeat(n_head, 1, 1).view(n_head, -1, d_model) # n_head x (mb_size*len_q) x d_model
        k_s = k.repeat(n_head, 1, 1).view(n_head, -1, d_model)
        v_s = v.repeat(n_head, 1, 1).view(n_head, -1, d_model)

        q_s = torch.bmm(q_s, self.w_qs).view(-1, len_q, d_k)   # (n_head*mb_size) x len_q x d_k
        k_s = torch.bmm(k_s, self.w_ks).view(-1, len_k, d_k)
        v_s = torch.bmm(v_s, self.w_vs).view(-1, len_k, d_v)

        if attn_mask is not None:
            attn_mask = attn_mask.repeat(n_head, 1, 1)
        outputs, attns = self.attention(q_s, k_s, v_s, attn_mask=attn_mask)

        outputs = torch.cat(torch.split(outputs, mb_size, dim=0), dim=-1)
        outputs = self.proj(outputs)
        outputs = self.dropout(outputs)
        return self.layer_norm(outputs + residual), attns


class EncoderLayer(nn.Module):
    def __init__(self, d_model, d_inner, n_head, d_k, d_v, dropout=0.1):
        super(EncoderLayer, self).__init__()
        self.slf_attn = MultiHeadAttention(n_head, d_model, d_k, d_v, dropout=dropout)
        self.w_1 = nn.Linear(d_model, d_inner)
        self.w_2 = nn.Linear(d_inner, d_model)
        self.layer_norm = LayerNormalization(d_model)

    def forward(self, enc_input, slf_attn_mask=None):
        enc_output, enc_slf_attn = self.slf_attn(
            enc_input, enc_input, enc_input, attn_mask=slf_attn_mask)
        residual = enc_output
        out = self.w_2(F.relu(self.w_1(enc_output)))
        return self.layer_norm(out + residual), enc_slf_attn


class Transformer(nn.Module):
    ''' A encoder model with self attention mechanism. '''

    def __init__(self, n_src_vocab, d_model, n_max_seq=12, n_layers=2, n_head=2,
                 d_inner=32, dropout=0.1, PAD=0):
        super(Transformer, self).__init__()
        n_position = n_max_seq + 1
        self.PAD = PAD
        self.d_model = d_model

        # the table is a constant, not a parameter
        self.register_buffer("position_enc", position_encoding_init(n_position, d_model), persistent=False)

        self.src_word_emb = nn.Embedding(n_src_vocab, d_model, padding_idx=PAD)
        d_k = d_v = d_model // n_head
        self.layer_stack = nn.ModuleList([
            EncoderLayer(d_model, d_inner, n_head, d_k, d_v, dropout=dropout)
            for _ in range(n_layers)])
        self.tgt_word_proj = nn.Linear(d_model, n_src_vocab, bias=False)
        nn.init.xavier_uniform_(self.tgt_word_proj.weight)

    def get_attn_padding_mask(self, seq_q, seq_k):
        mb_size, len_q = seq_q.size()
        mb_size, len_k = seq_k.size()
        pad_attn_mask = seq_k.data.eq(self.PAD).unsqueeze(1)   # bx1xsk
        pad_attn_mask = pad_attn_mask.expand(mb_size, len_q, len_k) # bxsqxsk
        return pad_attn_mask

    def forward(self, src_seq):
        mb_size, len_s = src_seq.size()
        # position 0 is reserved for padding
        src_pos = torch.arange(1, len_s + 1).long().to(src_seq.device)
        src_pos = src_pos.unsqueeze(0).expand(mb_size, len_s)

        enc_input = self.src_word_emb(src_seq)
        enc_input = enc_input + F.embedding(src_pos, self.position_enc)

        enc_slf_attn_mask = self.get_attn_padding_mask(src_seq, src_seq)
        enc_output = enc_input
        for enc_layer in self.layer_stack:
            enc_output, enc_slf_attn = enc_layer(enc_output, slf_attn_mask=enc_slf_attn_mask)

        seq_logit = self.tgt_word_proj(enc_output)
        return F.log_softmax(seq_logit.view(-1, seq_logit.size(2)), dim=1)
