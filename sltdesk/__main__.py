"""`python -m sltdesk` and the `sltdesk` command."""

import sys


def main() -> int:
    import signal

    from sltdesk.cli import main as cli_main
    from sltdesk.tempdirs import use_private_temp

    use_private_temp()  # removed on exit; what a killed run left is removed here, on the next start
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # `kill` runs the clean-up too, like Ctrl+C
    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
