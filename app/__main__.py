"""`python -m app [serve|say] ...`"""

from app.cli import main

main()
