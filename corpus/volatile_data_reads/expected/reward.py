# Self-critical training, as image captioning repositories wrote it in 2017: the greedy baseline
# runs on volatile copies of the inputs, its samples go to numpy through `.data`, and the `_` the
# model returns is bound again by the scorer before anything reads it. In 0.3 only the greedy
# decoding was volatile; the sampled path and the policy loss kept their graph.
import numpy as np
import torch
import torch.nn as nn


class Captioner(nn.Module):
    def __init__(self, nfeat=6, nvocab=5):
        super(Captioner, self).__init__()
        self.proj = nn.Linear(nfeat, nvocab)

    def forward(self, feats, mode='sample'):
        logits = self.proj(feats)
        return logits.max(1)[1], logits


def score(samples):
    values = samples.astype(np.float64) / 4.0
    return values.mean(), values


def self_critical_reward(model, feats, gen_result):
    model.eval()
    with torch.no_grad():
        greedy_res, _ = model(feats.detach(), mode='sample')
    model.train()

    gen_result = gen_result.data.cpu().numpy()
    greedy_res = greedy_res.data.cpu().numpy()
    _, gen_scores = score(gen_result)
    gen_scores = gen_scores - _
    _, greedy_scores = score(greedy_res)
    return gen_scores - greedy_scores


class Harness(nn.Module):
    def __init__(self):
        super(Harness, self).__init__()
        self.model = Captioner()

    def forward(self, feats):
        sample, logits = self.model(feats)
        reward = self_critical_reward(self.model, feats, sample)
        reward = torch.from_numpy(reward).float()
        loss = -(logits.log_softmax(1).max(1)[0] * reward).mean()
        return loss, logits
