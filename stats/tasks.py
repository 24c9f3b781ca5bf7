from celery import shared_task

from .rollup import rollup_build


@shared_task(name="stats.rollup_build")
def rollup_build_task():
    return rollup_build()
