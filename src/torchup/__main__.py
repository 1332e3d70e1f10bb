from torchup.cli import main

main()
