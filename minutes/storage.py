"""Where sealed PDFs and exports are kept (placeholder until the storage module lands)."""

from django.core.files.storage import FileSystemStorage


class AtomicFileSystemStorage(FileSystemStorage):
    pass
