"""The torchup codemod catalogue: one codemod per module, found by ``torchup.registry``."""
