from airline.cli import main

main()
