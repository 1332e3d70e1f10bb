# Deep Q-learning in the style of the 2018 reinforcement-learning tutorial notebooks: the file
# rebinds `Variable` to torch's Variable plus a move to the GPU, and calls it everywhere, with
# and without `volatile=True`; the target is cut off with `Variable(expected_q_value.data)`.
import numpy as np
import torch
import torch.nn as nn
import torch.autograd as autograd

USE_CUDA = torch.cuda.is_available()
device = torch.device("cuda" if USE_CUDA else "cpu")

GAMMA = 0.99


class DQN(nn.Module):
    def __init__(self, num_inputs=4, num_actions=2):
        super(DQN, self).__init__()
        self.layers = nn.Sequential(
            nn.Linear(num_inputs, 16),
            nn.ReLU(),
            nn.Linear(16, num_actions)
        )

    def forward(self, x):
        return self.layers(x)

    def act(self, state):
        with torch.no_grad():
            state = torch.FloatTensor(state).unsqueeze(0).to(device)
            q_value = self.forward(state)
            return q_value


def compute_td_loss(model, state, action, reward, next_state, done):
    state = torch.FloatTensor(np.float32(state)).to(device)
    next_state = torch.FloatTensor(np.float32(next_state)).to(device)
    action = torch.LongTensor(action).to(device)
    reward = torch.FloatTensor(reward).to(device)
    done = torch.FloatTensor(done).to(device)

    q_values = model(state)
    with torch.no_grad():
        next_q_values = model(next_state)

    q_value = q_values.gather(1, action.unsqueeze(1)).squeeze(1)
    with torch.no_grad():
        next_q_value = next_q_values.max(1)[0]
        expected_q_value = reward + GAMMA * next_q_value * (1 - done)

    loss = (q_value - expected_q_value.detach().to(device)).pow(2).mean()
    return loss


class TDStep(nn.Module):
    """Harness: one TD loss (trains) and one greedy evaluation (volatile) from the same batch."""

    def __init__(self):
        super(TDStep, self).__init__()
        self.model = DQN()

    def forward(self, state, next_state):
        batch = state.size(0)
        actions = [i % 2 for i in range(batch)]
        rewards = [0.5 * i for i in range(batch)]
        dones = [float(i == batch - 1) for i in range(batch)]
        loss = compute_td_loss(self.model, state.tolist(), actions, rewards, next_state.tolist(), dones)
        evaluation = self.model.act(state[0].tolist())
        return loss, evaluation
