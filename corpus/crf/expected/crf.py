# Linear-chain CRF on top of BiLSTM emission scores, after the PyTorch
# "Advanced: Making Dynamic Decisions and the Bi-LSTM CRF" tutorial (2017),
# batched over the tags instead of looping over them.
import torch
import torch.autograd as autograd
import torch.nn as nn

START_TAG = 3
STOP_TAG = 4


def log_sum_exp(vec):
    # vec: 1 x n; computed in a numerically stable way
    max_score = vec.max(1)[0]
    max_score_broadcast = max_score.view(-1, 1).expand(vec.size(0), vec.size(1))
    return max_score + torch.log(torch.sum(torch.exp(vec - max_score_broadcast), 1))


class CRF(nn.Module):
    def __init__(self, tagset_size):
        super(CRF, self).__init__()
        self.tagset_size = tagset_size
        # Matrix of transition parameters.  Entry i,j is the score of
        # transitioning *to* i *from* j.
        self.transitions = nn.Parameter(
            torch.randn(self.tagset_size, self.tagset_size))
        # never transfer to the start tag nor from the stop tag
        self.transitions.data[START_TAG, :] = -10000
        self.transitions.data[:, STOP_TAG] = -10000

    def _forward_alg(self, feats):
        # Do the forward algorithm to compute the partition function
        init_alphas = torch.full((1, self.tagset_size), -10000.)
        # START_TAG has all of the score.
        init_alphas[0][START_TAG] = 0.

        # Wrap in a variable so that we will get automatic backprop
        forward_var = init_alphas.to(self.transitions.device)

        # Iterate through the sentence
        for feat in feats:
            # next_tag_var[i, j]: score of going from j to i, then emitting feat[i]
            next_tag_var = forward_var.expand(self.tagset_size, self.tagset_size) \
                + self.transitions + feat.view(-1, 1)
            forward_var = log_sum_exp(next_tag_var).view(1, -1)
        terminal_var = forward_var + self.transitions[STOP_TAG].view(1, -1)
        alpha = log_sum_exp(terminal_var)
        return alpha

    def _score_sentence(self, feats, tags):
        # Gives the score of a provided tag sequence
        score = torch.tensor([0.0], device=self.transitions.device)
        tags = torch.cat([torch.tensor([START_TAG], dtype=torch.long, device=self.transitions.device), tags])
        for i, feat in enumerate(feats):
            score = score + \
                self.transitions[tags[i + 1], tags[i]] + feat[tags[i + 1]]
        score = score + self.transitions[STOP_TAG, tags[-1]]
        return score

    def viterbi_decode(self, feats):
        backpointers = []

        init_vvars = torch.full((1, self.tagset_size), -10000.)
        init_vvars[0][START_TAG] = 0
        forward_var = init_vvars.to(self.transitions.device)
        for feat in feats:
            next_tag_var = forward_var.expand(self.tagset_size, self.tagset_size) + self.transitions
            viterbivars_t, bptrs_t = torch.max(next_tag_var, 1)
            backpointers.append(bptrs_t.data.tolist())
            forward_var = (viterbivars_t + feat).view(1, -1)

        terminal_var = forward_var + self.transitions[STOP_TAG].view(1, -1)
        path_score, best_tag_id = torch.max(terminal_var, 1)
        best_tag_id = best_tag_id.item()
        best_path = [best_tag_id]
        for bptrs_t in reversed(backpointers):
            best_tag_id = bptrs_t[best_tag_id]
            best_path.append(best_tag_id)
        start = best_path.pop()
        assert start == START_TAG  # Sanity check
        best_path.reverse()
        return path_score, best_path

    def neg_log_likelihood(self, feats, tags):
        forward_score = self._forward_alg(feats)
        gold_score = self._score_sentence(feats, tags)
        return forward_score - gold_score

    def forward(self, feats, tags):
        return self.neg_log_likelihood(feats, tags)


class BiLSTM_CRF(nn.Module):
    def __init__(self, vocab_size, embedding_dim=6, hidden_dim=8, tagset_size=5):
        super(BiLSTM_CRF, self).__init__()
        self.hidden_dim = hidden_dim
        self.word_embeds = nn.Embedding(vocab_size, embedding_dim)
        self.lstm = nn.LSTM(embedding_dim, hidden_dim // 2,
                            num_layers=1, bidirectional=True)
        # Maps the output of the LSTM into tag space.
        self.hidden2tag = nn.Linear(hidden_dim, tagset_size)
        self.crf = CRF(tagset_size)

    def init_hidden(self):
        return (torch.zeros(2, 1, self.hidden_dim // 2, device=next(self.parameters()).device),
                torch.zeros(2, 1, self.hidden_dim // 2, device=next(self.parameters()).device))

    def _get_lstm_features(self, sentence):
        hidden = self.init_hidden()
        embeds = self.word_embeds(sentence).view(len(sentence), 1, -1)
        lstm_out, hidden = self.lstm(embeds, hidden)
        lstm_out = lstm_out.view(len(sentence), self.hidden_dim)
        return self.hidden2tag(lstm_out)

    def forward(self, sentence, tags):
        feats = self._get_lstm_features(sentence)
        nll = self.crf.neg_log_likelihood(feats, tags)
        score, tag_seq = self.crf.viterbi_decode(feats)
        return nll, score, torch.LongTensor(tag_seq).to(next(self.parameters()).device)
