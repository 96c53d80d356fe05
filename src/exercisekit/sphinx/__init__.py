"""The book's Sphinx extensions: exercise markup and runtime (`exercises`), the guide
d'animation (`guide`), downloads and notebook copies (`publish`), page weight (`trim`)."""
