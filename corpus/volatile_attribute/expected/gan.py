# A GAN trainer in the style of the 2017 generative-model collections: the fixed noise used for
# the result images is made volatile once and read in another method; a prediction
# reshapes and moves its volatile input under the same name.
import torch
import torch.nn as nn


class Generator(nn.Module):
    def __init__(self, z_dim=4, out_dim=6):
        super(Generator, self).__init__()
        self.fc = nn.Sequential(nn.Linear(z_dim, 8), nn.ReLU(), nn.Linear(8, out_dim), nn.Tanh())

    def forward(self, z):
        return self.fc(z)


class GANTrainer(object):
    def __init__(self, G):
        self.G = G
        self.gpu_mode = False

    def fix_noise(self, like, sample_num=3, z_dim=4):
        self.sample_z_ = torch.rand(sample_num, z_dim).type_as(like)

    def visualize_results(self):
        with torch.no_grad():
            samples = self.G(self.sample_z_)
            return samples

    def predict(self, z):
        device = torch.device("cuda" if self.gpu_mode else "cpu")
        with torch.no_grad():
            x = z.view(1, -1)
            x = x.to(device)
            return self.G(x)


class Harness(nn.Module):
    """Training loss (has a graph) beside the trainer's two evaluations (volatile in 0.3)."""

    def __init__(self):
        super(Harness, self).__init__()
        self.G = Generator()
        self.trainer = GANTrainer(self.G)

    def forward(self, z):
        self.trainer.fix_noise(z)
        loss = self.G(z).pow(2).mean()
        return loss, self.trainer.visualize_results(), self.trainer.predict(z[0])
