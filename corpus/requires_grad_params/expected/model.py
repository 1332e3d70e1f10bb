# Bilinear attention scorer + learned temperature, 2017 style: the extra weights
# were made Variables with requires_grad=True and kept as plain attributes, so the
# optimizer had to be handed them by hand (see get_optimizer below).
import torch
import torch.nn as nn
import torch.nn.functional as F


class BilinearScorer(nn.Module):
    def __init__(self, d_query, d_key, n_out=4):
        super(BilinearScorer, self).__init__()
        self.proj = nn.Linear(d_key, n_out)
        # W_b: d_query x d_key bilinear form
        self.W_b = nn.Parameter(torch.randn(d_query, d_key) * 0.1)
        self.log_temperature = nn.Parameter(torch.zeros(1))
        # not learned: a fixed per-output bias shift
        self.register_buffer("shift", torch.linspace(-1, 1, n_out), persistent=False)

    def forward(self, query, keys):
        # query: B x dq, keys: B x N x dk
        scores = torch.bmm(keys, torch.mm(query, self.W_b).unsqueeze(2)).squeeze(2)  # B x N
        attn = F.softmax(scores / self.log_temperature.exp().expand_as(scores), dim=1)
        pooled = torch.bmm(attn.unsqueeze(1), keys).squeeze(1)   # B x dk
        return self.proj(pooled) + self.shift.unsqueeze(0).expand(query.size(0), self.shift.size(0))


def get_optimizer(model, lr=0.01):
    params = list(model.parameters()) + [model.W_b, model.log_temperature]
    return torch.optim.SGD(params, lr=lr)
