"""The local engine: every step in this process, one after another (the default; needs no Ray)."""
from __future__ import annotations


class LocalEngine:
    name = "local"

    def prepare(self, pipeline, inputs, lead=None):
        ingested = pipeline.read(inputs)
        return self.prepare_articles(pipeline, ingested.articles, ingested.rejected, lead)

    def prepare_articles(self, pipeline, articles, rejected, lead=None):
        pipeline.segment_articles(articles, lead)
        return pipeline.prepare_segmented(articles, rejected)

    def summarise_events(self, pipeline, prepared, jobs):
        return [pipeline.summarise_event(*prepared.subset(job.members), ranker=job.ranker, max_facts=job.max_facts,
                                         quote=job.quote)
                for job in pipeline._bar(jobs, "events")]

    def close(self) -> None:
        pass
