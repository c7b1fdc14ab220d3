-- migrate-010.sql: schema version 10: the indexes that keep "Related articles" cheap
-- (related_articles in sql/queries.sql). An article page looks for the articles citing its references
-- by DOI, PubMed id or address, and for the articles whose topic is another name of its own (the
-- synonym table writes names as topic.surface does). Without these two indexes each article page
-- read every reference, and built a temporary index of every topic, to find them.
CREATE INDEX reference_url ON reference(url);
CREATE INDEX topic_surface ON topic(surface);
