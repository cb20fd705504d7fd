-- Who chairs a meeting (issue 12): the chair is an official and their name is public record, so the
-- minutes and reports name them. chair_name (0001) is the name as written in documents, e.g.
-- "Ms Jane Doe (United Kingdom), Chair of the CWG-COP"; chair_member_id is the Discord member when an
-- organiser chose one (their display name at that time fills chair_name when no name was written).
ALTER TABLE meetings ADD COLUMN chair_member_id INTEGER;
