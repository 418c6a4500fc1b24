# No models. The module exists because `migrate` sends post_migrate only to apps that have
# one, and this app's handler creates the database cache's table (apps.py).
