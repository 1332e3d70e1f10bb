# Deep Q-learning, after the PyTorch "Reinforcement Learning (DQN) tutorial" (2017):
# tensor-type aliases chosen once for CPU/GPU, volatile next-state values, and the
# famous `next_state_values.volatile = False` trick.
import random
from collections import namedtuple

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

# if gpu is to be used
use_cuda = torch.cuda.is_available()
device = torch.device("cuda" if use_cuda else "cpu")
FloatTensor = torch.cuda.FloatTensor if use_cuda else torch.FloatTensor
LongTensor = torch.cuda.LongTensor if use_cuda else torch.LongTensor
ByteTensor = torch.cuda.ByteTensor if use_cuda else torch.ByteTensor
Tensor = FloatTensor

Transition = namedtuple('Transition',
                        ('state', 'action', 'next_state', 'reward'))

BATCH_SIZE = 4
GAMMA = 0.999
N_ACTIONS = 2


class ReplayMemory(object):

    def __init__(self, capacity):
        self.capacity = capacity
        self.memory = []
        self.position = 0

    def push(self, *args):
        """Saves a transition."""
        if len(self.memory) < self.capacity:
            self.memory.append(None)
        self.memory[self.position] = Transition(*args)
        self.position = (self.position + 1) % self.capacity

    def sample(self, batch_size):
        return random.sample(self.memory, batch_size)

    def __len__(self):
        return len(self.memory)


class DQN(nn.Module):

    def __init__(self):
        super(DQN, self).__init__()
        self.conv1 = nn.Conv2d(3, 4, kernel_size=3, stride=2)
        self.bn1 = nn.BatchNorm2d(4)
        self.conv2 = nn.Conv2d(4, 8, kernel_size=3, stride=2)
        self.bn2 = nn.BatchNorm2d(8)
        self.head = nn.Linear(8 * 2 * 2, N_ACTIONS)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = F.relu(self.bn2(self.conv2(x)))
        return self.head(x.view(x.size(0), -1))


def select_action(model, state, eps_threshold):
    sample = random.random()
    if sample > eps_threshold:
        with torch.no_grad():
            return model(
                state.to(device, torch.float)).data.max(1)[1].view(1, 1)
    else:
        return torch.tensor([[random.randrange(N_ACTIONS)]], dtype=torch.long, device=device)


def optimize_model(model, optimizer, memory):
    if len(memory) < BATCH_SIZE:
        return
    transitions = memory.sample(BATCH_SIZE)
    # Transpose the batch (see http://stackoverflow.com/a/19343/3343043 for
    # detailed explanation).
    batch = Transition(*zip(*transitions))

    # Compute a mask of non-final states and concatenate the batch elements
    non_final_mask = ByteTensor(tuple(map(lambda s: s is not None,
                                          batch.next_state)))

    # We don't want to backprop through the expected action values and volatile
    # will save us on temporarily changing the model parameters'
    # requires_grad to False!
    non_final_next_states = torch.cat([s for s in batch.next_state
                                                if s is not None])
    state_batch = torch.cat(batch.state)
    action_batch = torch.cat(batch.action)
    reward_batch = torch.cat(batch.reward)

    # Compute Q(s_t, a) - the model computes Q(s_t), then we select the
    # columns of actions taken
    state_action_values = model(state_batch).gather(1, action_batch)

    # Compute V(s_{t+1}) for all next states.
    next_state_values = torch.zeros(BATCH_SIZE).type(Tensor)
    with torch.no_grad():
        next_state_values[non_final_mask] = model(non_final_next_states).max(1)[0]
    # Compute the expected Q values
    expected_state_action_values = (next_state_values * GAMMA) + reward_batch

    # Compute Huber loss
    loss = F.smooth_l1_loss(state_action_values, expected_state_action_values)

    # Optimize the model
    optimizer.zero_grad()
    loss.backward()
    for param in model.parameters():
        param.grad.data.clamp_(-1, 1)
    optimizer.step()
    return loss


def make_trained(steps=3):
    """A DQN after a few optimisation steps on seeded random transitions."""
    random.seed(0)
    model = DQN()
    optimizer = optim.RMSprop(model.parameters())
    memory = ReplayMemory(16)
    for t in range(8):
        next_state = None if t % 3 == 2 else torch.randn(1, 3, 12, 12)
        memory.push(torch.randn(1, 3, 12, 12), torch.tensor([[t % N_ACTIONS]], dtype=torch.long, device=device),
                    next_state, Tensor([random.random()]))
    for _ in range(steps):
        optimize_model(model, optimizer, memory)
    return model


if __name__ == '__main__':
    model = DQN()
    model.to(device)
    optimizer = optim.RMSprop(model.parameters())
    memory = ReplayMemory(100)
    state = torch.randn(1, 3, 12, 12)
    for t in range(12):
        action = select_action(model, state, 0.5)
        next_state = None if t % 5 == 4 else torch.randn(1, 3, 12, 12)
        memory.push(state, action, next_state, Tensor([random.random()]))
        state = next_state if next_state is not None else torch.randn(1, 3, 12, 12)
        loss = optimize_model(model, optimizer, memory)
        if loss is not None:
            print('step', t, 'loss', loss.item())
