from fangzhi.cli import main

main()
