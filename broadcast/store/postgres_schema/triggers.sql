-- PostgreSQL triggers of the broadcast store: the 39 triggers of a SQLite database at schema
-- version 17 (broadcast/store/db.py), as PL/pgSQL, loaded after baseline.sql in the same
-- transaction. They are the rules no code path may skip (issue 9: the on-air gate; issue 10:
-- append-only approvals); the same refusal carries the same words on both backends:
-- RAISE EXCEPTION with SQLSTATE 'BR001' and, as its message, the exact text of SQLite's
-- RAISE(ABORT, ...), which the store turns into the same Vietnamese sentence.
--
-- How SQLite's semantics are kept (I16_design.md 2c):
-- * Firing order. SQLite fires the triggers of one table and event newest first (observed
--   on a v17 database: reverse order of creation); PostgreSQL fires them by name. Each
--   trigger is named br<NN>_<its SQLite name>, NN being its rank in SQLite's order within
--   its table, so both orders are the same (it decides, e.g., that an unapproved entry past
--   its slot is refused as 'not approved', not as 'overrun').
-- * Self-updates. SQLite's segments_void_approval and sentences_text_changed are AFTER
--   triggers that UPDATE their own row; here a BEFORE trigger assigns NEW.* instead (no
--   second UPDATE, no recursion) and an AFTER trigger of the same rank writes the other
--   rows. Because such an assignment is not an "UPDATE OF" that column, the triggers that
--   SQLite fires from the nested UPDATE are matched here by their effect:
--   segments_void_record has no column list (its WHEN clause needs a real change anyway),
--   the translation is un-approved by segments_void_approval's own UPDATE (as in SQLite's
--   body), and the sentence's sweep runs inside sentences_text_changed when its hash was
--   cleared (where SQLite's nested UPDATE fired sentences_sweep_u).
-- * WHEN clauses with a subquery (not allowed by PostgreSQL) are tested in the function.
-- * AFTER ROW triggers run at the end of the statement here, once per row and in row order:
--   a multi-row statement ends in the same state; ids of rows written by triggers may
--   interleave differently.
-- * Sweeps log their withdrawals ordered by render id (SQLite's GROUP BY walks the
--   render_id index in that order).

-- Refusals -----------------------------------------------------------------------------------

-- One function for every unconditional refusal: the message is the trigger's argument.
CREATE FUNCTION br_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'BR001', MESSAGE = TG_ARGV[0];
END;
$$;

CREATE TRIGGER br01_tm_segments_immutable BEFORE UPDATE ON tm_segments
    FOR EACH ROW EXECUTE FUNCTION br_refuse('tm_segments rows are never updated');

CREATE TRIGGER br01_review_audit_append_only_d BEFORE DELETE ON review_audit
    FOR EACH ROW EXECUTE FUNCTION br_refuse('review_audit is append-only');
CREATE TRIGGER br02_review_audit_append_only_u BEFORE UPDATE ON review_audit
    FOR EACH ROW EXECUTE FUNCTION br_refuse('review_audit is append-only');

CREATE TRIGGER br02_approvals_append_only_d BEFORE DELETE ON approvals
    FOR EACH ROW EXECUTE FUNCTION br_refuse('approvals is append-only');
CREATE TRIGGER br03_approvals_append_only_u BEFORE UPDATE ON approvals
    FOR EACH ROW EXECUTE FUNCTION br_refuse('approvals is append-only');

CREATE TRIGGER br01_render_texts_never_updated BEFORE UPDATE ON render_texts
    FOR EACH ROW EXECUTE FUNCTION br_refuse('render_texts rows are never updated');

CREATE TRIGGER br01_playlist_entries_frozen BEFORE INSERT ON playlist_entries
    FOR EACH ROW EXECUTE FUNCTION br_refuse(
        'danh sách phát riêng của produce đã bỏ: lịch phát chỉ lập từ mục phát '
        '(broadcast schedule add, broadcast schedule plan)');

CREATE FUNCTION br_translations_approved_needs_segments() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM segments WHERE translation_id = NEW.id)
       OR EXISTS (SELECT 1 FROM segments WHERE translation_id = NEW.id
                  AND (state != 'approved' OR approved_sha256 IS NULL)) THEN
        RAISE EXCEPTION USING ERRCODE = 'BR001',
            MESSAGE = 'translation has segments that are not approved';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER br02_translations_approved_needs_segments
    BEFORE UPDATE OF state ON translations
    FOR EACH ROW WHEN (NEW.state = 'approved')
    EXECUTE FUNCTION br_translations_approved_needs_segments();

-- The on-air gate: a render goes into the schedule only while it is current (made from the
-- texts approved now). 'not approved' when its language is not approved (or it is another
-- script's render), 'stale render' when only its texts are old. p_by_item: the row names a
-- campaign item whose script the render must belong to; p_by_language: the row names the
-- language the render must be in.
CREATE FUNCTION br_render_gate(
    p_render bigint, p_by_item boolean, p_item bigint, p_by_language boolean, p_language text
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM current_renders c JOIN renders r ON r.id = c.render_id
        WHERE c.render_id = p_render
          AND (NOT p_by_item OR EXISTS (SELECT 1 FROM schedule_items i
                                         WHERE i.id = p_item AND i.script_id = r.script_id))
          AND (NOT p_by_language OR r.language = p_language)
    ) THEN
        IF NOT EXISTS (
            SELECT 1 FROM renders r
            JOIN approved_languages a ON a.script_id = r.script_id AND a.language = r.language
            WHERE r.id = p_render
              AND (NOT p_by_item OR EXISTS (SELECT 1 FROM schedule_items i
                                             WHERE i.id = p_item AND i.script_id = r.script_id))
              AND (NOT p_by_language OR r.language = p_language)
        ) THEN
            RAISE EXCEPTION USING ERRCODE = 'BR001',
                MESSAGE = 'bản thu chưa được duyệt, không được vào lịch phát (not approved)';
        END IF;
        RAISE EXCEPTION USING ERRCODE = 'BR001',
            MESSAGE = 'bản thu được làm từ văn bản khác với văn bản đang được duyệt, '
                      'không được vào lịch phát; hãy dựng lại (stale render)';
    END IF;
END;
$$;

CREATE FUNCTION br_schedule_item_renders_approved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM br_render_gate(NEW.render_id, true, NEW.item_id, true, NEW.language);
    RETURN NEW;
END;
$$;

CREATE TRIGGER br01_schedule_item_renders_approved BEFORE INSERT ON schedule_item_renders
    FOR EACH ROW EXECUTE FUNCTION br_schedule_item_renders_approved();

CREATE FUNCTION br_plan_entries_approved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM br_render_gate(NEW.render_id, true, NEW.item_id, false, NULL);
    RETURN NEW;
END;
$$;

CREATE TRIGGER br01_plan_entries_approved_u
    BEFORE UPDATE OF render_id, item_id ON plan_entries
    FOR EACH ROW WHEN (NEW.kind = 'item') EXECUTE FUNCTION br_plan_entries_approved();
CREATE TRIGGER br02_plan_entries_approved BEFORE INSERT ON plan_entries
    FOR EACH ROW WHEN (NEW.kind = 'item') EXECUTE FUNCTION br_plan_entries_approved();

CREATE FUNCTION br_playlist_entries_approved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM br_render_gate(NEW.render_id, false, NULL, false, NULL);
    RETURN NEW;
END;
$$;

CREATE TRIGGER br02_playlist_entries_approved_u BEFORE UPDATE OF render_id ON playlist_entries
    FOR EACH ROW EXECUTE FUNCTION br_playlist_entries_approved();
CREATE TRIGGER br03_playlist_entries_approved BEFORE INSERT ON playlist_entries
    FOR EACH ROW EXECUTE FUNCTION br_playlist_entries_approved();

-- Seconds since the epoch of a stored moment, read as SQLite's julianday() reads it: a text
-- without an offset is UTC, one with an offset is converted; a text that is no moment gives
-- NULL (so the comparison below is unknown and nothing is refused, as on SQLite).
CREATE FUNCTION br_epoch_seconds(p_moment text) RETURNS double precision
LANGUAGE plpgsql STABLE SET timezone = 'UTC' AS $$
BEGIN
    RETURN extract(epoch FROM p_moment::timestamptz);
EXCEPTION WHEN data_exception THEN
    RETURN NULL;
END;
$$;

-- An entry starts inside its slot and ends by the slot's end (1 ms of slack for rounding).
CREATE FUNCTION br_plan_entries_inside_slot() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM plan_slots s WHERE s.id = NEW.plan_slot_id
          AND (br_epoch_seconds(NEW.starts_at) < br_epoch_seconds(s.starts_at) - 0.001
               OR br_epoch_seconds(NEW.starts_at) - br_epoch_seconds(s.starts_at)
                  + NEW.duration_s
                  > br_epoch_seconds(s.ends_at) - br_epoch_seconds(s.starts_at) + 0.001)
    ) THEN
        RAISE EXCEPTION USING ERRCODE = 'BR001',
            MESSAGE = 'mục phát vượt quá khung giờ (overrun)';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER br03_plan_entries_inside_slot BEFORE INSERT ON plan_entries
    FOR EACH ROW EXECUTE FUNCTION br_plan_entries_inside_slot();

-- Sweeps -------------------------------------------------------------------------------------

-- Deletes the plan entries and legacy playlist rows of every render that is no longer
-- current (of one script, or of all when p_all), logging each render's count in
-- onair_withdrawals so the next command can tell the user (db.py _sweep).
CREATE FUNCTION br_sweep(p_all boolean, p_script bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO onair_withdrawals (render_id, source, entries)
        SELECT render_id, 'plan_entries', COUNT(*) FROM plan_entries
        WHERE plan_entries.render_id IN (
            SELECT r.id FROM renders r WHERE (p_all OR r.script_id = p_script)
              AND NOT EXISTS (SELECT 1 FROM current_renders c WHERE c.render_id = r.id))
        GROUP BY render_id ORDER BY render_id;
    DELETE FROM plan_entries WHERE plan_entries.render_id IN (
        SELECT r.id FROM renders r WHERE (p_all OR r.script_id = p_script)
          AND NOT EXISTS (SELECT 1 FROM current_renders c WHERE c.render_id = r.id));
    INSERT INTO onair_withdrawals (render_id, source, entries)
        SELECT render_id, 'playlist_entries', COUNT(*) FROM playlist_entries
        WHERE playlist_entries.render_id IN (
            SELECT r.id FROM renders r WHERE (p_all OR r.script_id = p_script)
              AND NOT EXISTS (SELECT 1 FROM current_renders c WHERE c.render_id = r.id))
        GROUP BY render_id ORDER BY render_id;
    DELETE FROM playlist_entries WHERE playlist_entries.render_id IN (
        SELECT r.id FROM renders r WHERE (p_all OR r.script_id = p_script)
          AND NOT EXISTS (SELECT 1 FROM current_renders c WHERE c.render_id = r.id));
END;
$$;

-- A void approval, or a segment approval of another text than the segment's: that script's
-- renders may have stopped being current.
CREATE FUNCTION br_approvals_sweep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.kind = 'void' OR (NEW.segment_id IS NOT NULL AND NEW.sha256 IS DISTINCT FROM
                             (SELECT approved_sha256 FROM segments WHERE id = NEW.segment_id))
    THEN
        PERFORM br_sweep(false, NEW.script_id);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER br01_approvals_sweep AFTER INSERT ON approvals
    FOR EACH ROW EXECUTE FUNCTION br_approvals_sweep();

CREATE FUNCTION br_sweep_new_script() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM br_sweep(false, NEW.script_id);
    RETURN NULL;
END;
$$;

CREATE FUNCTION br_sweep_old_script() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM br_sweep(false, OLD.script_id);
    RETURN NULL;
END;
$$;

CREATE TRIGGER br01_translations_sweep AFTER UPDATE OF state ON translations
    FOR EACH ROW WHEN (OLD.state = 'approved' AND NEW.state != 'approved')
    EXECUTE FUNCTION br_sweep_new_script();

CREATE FUNCTION br_segments_sweep_d() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM br_sweep(true, NULL);
    RETURN NULL;
END;
$$;

CREATE FUNCTION br_segments_sweep_u() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM br_sweep(false, (SELECT script_id FROM translations WHERE id = NEW.translation_id));
    RETURN NULL;
END;
$$;

CREATE TRIGGER br01_segments_sweep_u AFTER UPDATE OF position, translation_id ON segments
    FOR EACH ROW EXECUTE FUNCTION br_segments_sweep_u();
CREATE TRIGGER br02_segments_sweep_d AFTER DELETE ON segments
    FOR EACH ROW EXECUTE FUNCTION br_segments_sweep_d();

CREATE TRIGGER br04_sentences_sweep_d AFTER DELETE ON sentences
    FOR EACH ROW EXECUTE FUNCTION br_sweep_old_script();
CREATE TRIGGER br05_sentences_sweep_i AFTER INSERT ON sentences
    FOR EACH ROW EXECUTE FUNCTION br_sweep_new_script();
CREATE TRIGGER br06_sentences_sweep_u AFTER UPDATE OF text_sha256, position ON sentences
    FOR EACH ROW EXECUTE FUNCTION br_sweep_new_script();

-- Segments: a changed approved text is no longer approved ----------------------------------

-- SQLite: AFTER UPDATE OF target ... UPDATE segments SET state = 'in_review',
-- approved_sha256 = NULL WHERE id = NEW.id (a self-update, here an assignment).
-- When the same statement also wrote a new hash and left the segment 'approved' (only a
-- forgery by SQL does that), SQLite's self-update voided that hash too, in a second 'void'
-- row after the one of the old hash: the hash is kept for the AFTER half in a setting local
-- to the transaction.
CREATE FUNCTION br_segments_void_approval() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.state = 'approved' AND NEW.approved_sha256 IS NOT NULL
       AND NEW.approved_sha256 IS DISTINCT FROM OLD.approved_sha256 THEN
        PERFORM set_config('broadcast.void_sha_' || NEW.id, NEW.approved_sha256, true);
    END IF;
    NEW.state := 'in_review';
    NEW.approved_sha256 := NULL;
    RETURN NEW;
END;
$$;

CREATE TRIGGER br07_segments_void_approval BEFORE UPDATE OF target ON segments
    FOR EACH ROW WHEN (NEW.target IS DISTINCT FROM OLD.target AND OLD.state = 'approved')
    EXECUTE FUNCTION br_segments_void_approval();

-- The rest of SQLite's segments_void_approval: the translation back in review (this UPDATE
-- also stands for segments_unapprove_translation, which SQLite fires from its self-update)
-- and the audit row. The 'void' approvals row of the old hash comes from
-- br03_segments_void_record (which fires first, as in SQLite); the one of a hash written with
-- the new target (see above) from here.
CREATE FUNCTION br_segments_void_approval_after() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_written_sha text := current_setting('broadcast.void_sha_' || NEW.id, true);
BEGIN
    IF v_written_sha <> '' THEN
        PERFORM set_config('broadcast.void_sha_' || NEW.id, '', true);
        INSERT INTO approvals (script_id, language, segment_id, approved_by, role, sha256, kind)
            SELECT t.script_id, t.language, NEW.id, 'database', '', v_written_sha, 'void'
            FROM translations t WHERE t.id = NEW.translation_id;
    END IF;
    UPDATE translations SET state = 'in_review'
        WHERE id = NEW.translation_id AND state = 'approved';
    INSERT INTO review_audit (script_id, language, position, action, actor, detail, sha256)
        SELECT t.script_id, t.language, NEW.position, 'void', 'database',
               'approved text changed', OLD.approved_sha256
        FROM translations t WHERE t.id = NEW.translation_id;
    RETURN NULL;
END;
$$;

CREATE TRIGGER br07_segments_void_approval_after AFTER UPDATE OF target ON segments
    FOR EACH ROW WHEN (NEW.target IS DISTINCT FROM OLD.target AND OLD.state = 'approved')
    EXECUTE FUNCTION br_segments_void_approval_after();

-- A segment that stops being approved (or is added unapproved, or removed) un-approves its
-- translation.
CREATE FUNCTION br_unapprove_translation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE translations SET state = 'in_review'
            WHERE id = OLD.translation_id AND state = 'approved';
    ELSE
        UPDATE translations SET state = 'in_review'
            WHERE id = NEW.translation_id AND state = 'approved';
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER br04_segments_delete_unapproves AFTER DELETE ON segments
    FOR EACH ROW EXECUTE FUNCTION br_unapprove_translation();
CREATE TRIGGER br05_segments_insert_unapproves AFTER INSERT ON segments
    FOR EACH ROW WHEN (NEW.state != 'approved') EXECUTE FUNCTION br_unapprove_translation();
CREATE TRIGGER br06_segments_unapprove_translation AFTER UPDATE OF state ON segments
    FOR EACH ROW WHEN (NEW.state != 'approved') EXECUTE FUNCTION br_unapprove_translation();

-- An approved segment that leaves that state (or changes its approved hash) gets a 'void'
-- approvals row. No column list: SQLite's "OF state, approved_sha256" also caught the
-- self-update of segments_void_approval, which here is an assignment in a BEFORE trigger;
-- the WHEN clause only holds for a real change of those columns.
CREATE FUNCTION br_segments_void_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO approvals (script_id, language, segment_id, approved_by, role, sha256, kind)
        SELECT t.script_id, t.language, NEW.id, 'database', '', OLD.approved_sha256, 'void'
        FROM translations t WHERE t.id = NEW.translation_id;
    RETURN NULL;
END;
$$;

CREATE TRIGGER br03_segments_void_record AFTER UPDATE ON segments
    FOR EACH ROW WHEN (OLD.state = 'approved' AND OLD.approved_sha256 IS NOT NULL
                       AND (NEW.state IS DISTINCT FROM 'approved'
                            OR NEW.approved_sha256 IS DISTINCT FROM OLD.approved_sha256))
    EXECUTE FUNCTION br_segments_void_record();

-- Sentences: a changed source sentence voids what was approved of it --------------------

-- SQLite: AFTER UPDATE OF written, spoken ... UPDATE sentences SET text_sha256 = NULL
-- WHERE id = NEW.id AND NEW.text_sha256 IS OLD.text_sha256 (a self-update: the hash is
-- cleared unless the writer set a new one), here an assignment.
CREATE FUNCTION br_sentences_text_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.text_sha256 IS NOT DISTINCT FROM OLD.text_sha256 THEN
        NEW.text_sha256 := NULL;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER br07_sentences_text_changed BEFORE UPDATE OF written, spoken ON sentences
    FOR EACH ROW WHEN (NEW.written IS DISTINCT FROM OLD.written
                       OR NEW.spoken IS DISTINCT FROM OLD.spoken)
    EXECUTE FUNCTION br_sentences_text_changed();

-- The rest of it: the sweep SQLite's self-update fired (sentences_sweep_u) when the hash was
-- cleared, the audit rows, the translated segments of that sentence back in review (their
-- void rows and the translation's come from the segments triggers) and their new source.
CREATE FUNCTION br_sentences_text_changed_after() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.text_sha256 IS NULL THEN
        PERFORM br_sweep(false, NEW.script_id);
    END IF;
    INSERT INTO review_audit (script_id, language, position, action, actor, detail, sha256)
        SELECT t.script_id, t.language, NEW.position, 'void', 'database',
               'câu nguồn đã đổi', g.approved_sha256
        FROM segments g JOIN translations t ON t.id = g.translation_id
        WHERE t.script_id = NEW.script_id AND g.position = NEW.position
          AND g.state = 'approved'
        ORDER BY g.id;
    UPDATE segments SET state = 'in_review', approved_sha256 = NULL
        WHERE position = NEW.position AND state = 'approved'
          AND translation_id IN (SELECT id FROM translations WHERE script_id = NEW.script_id);
    UPDATE segments SET source = NEW.written
        WHERE position = NEW.position
          AND translation_id IN (SELECT id FROM translations WHERE script_id = NEW.script_id);
    RETURN NULL;
END;
$$;

CREATE TRIGGER br07_sentences_text_changed_after AFTER UPDATE OF written, spoken ON sentences
    FOR EACH ROW WHEN (NEW.written IS DISTINCT FROM OLD.written
                       OR NEW.spoken IS DISTINCT FROM OLD.spoken)
    EXECUTE FUNCTION br_sentences_text_changed_after();

-- A change to the sentences of a script whose content approval is the latest word on it
-- voids that approval (a 'void' row copying its hash) and says so in the audit.
CREATE FUNCTION br_sentences_void_source() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_script bigint;
    v_position integer;
BEGIN
    IF TG_OP = 'DELETE' THEN
        v_script := OLD.script_id;
        v_position := OLD.position;
    ELSE
        v_script := NEW.script_id;
        v_position := NEW.position;
    END IF;
    IF (SELECT a.kind = 'approve' FROM approvals a
        JOIN scripts sc ON sc.id = a.script_id
        WHERE a.script_id = v_script AND a.language = sc.language
          AND a.segment_id IS NULL ORDER BY a.id DESC LIMIT 1) IS TRUE THEN
        INSERT INTO approvals (script_id, language, approved_by, role, sha256, kind)
            SELECT a.script_id, a.language, 'database', '', a.sha256, 'void' FROM approvals a
            JOIN scripts sc ON sc.id = a.script_id
            WHERE a.script_id = v_script AND a.language = sc.language
              AND a.segment_id IS NULL ORDER BY a.id DESC LIMIT 1;
        INSERT INTO review_audit (script_id, language, position, action, actor, detail)
            SELECT v_script, sc.language, v_position, 'void', 'database',
                   'nội dung kịch bản đã đổi sau khi duyệt'
            FROM scripts sc WHERE sc.id = v_script;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER br01_sentences_void_source_d AFTER DELETE ON sentences
    FOR EACH ROW EXECUTE FUNCTION br_sentences_void_source();
CREATE TRIGGER br02_sentences_void_source_i AFTER INSERT ON sentences
    FOR EACH ROW EXECUTE FUNCTION br_sentences_void_source();
CREATE TRIGGER br03_sentences_void_source_u
    AFTER UPDATE OF written, spoken, text_sha256, position, script_id ON sentences
    FOR EACH ROW WHEN (NEW.written IS DISTINCT FROM OLD.written
                       OR NEW.spoken IS DISTINCT FROM OLD.spoken
                       OR NEW.text_sha256 IS DISTINCT FROM OLD.text_sha256
                       OR NEW.position IS DISTINCT FROM OLD.position
                       OR NEW.script_id IS DISTINCT FROM OLD.script_id)
    EXECUTE FUNCTION br_sentences_void_source();

-- Counters and defaults ----------------------------------------------------------------------

-- The translation memory's per-language change counter (its index reloads when it moves).
-- Counted per row into a transaction-local setting and written once, at commit (a deferred
-- trigger): updating the same tm_changes row once per inserted segment made a large import
-- quadratic on PostgreSQL (each new version of a row updated in one transaction costs more
-- than the last; 100,000 segments took 357 s against 11 s on SQLite). Other connections
-- only ever see committed counts, so they see the same numbers as before; a rolled-back
-- savepoint takes its part of the count back with it.
CREATE FUNCTION br_tm_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_language text;
    v_pending jsonb;
BEGIN
    IF TG_OP = 'DELETE' THEN
        v_language := OLD.language;
    ELSE
        v_language := NEW.language;
    END IF;
    v_pending := coalesce(nullif(current_setting('broadcast.tm_pending', true), ''), '{}')::jsonb;
    v_pending := jsonb_set(
        v_pending, ARRAY[v_language],
        to_jsonb(coalesce((v_pending ->> v_language)::bigint, 0) + 1));
    PERFORM set_config('broadcast.tm_pending', v_pending::text, true);
    RETURN NULL;
END;
$$;

CREATE FUNCTION br_tm_count_flush() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_pending jsonb;
BEGIN
    v_pending := nullif(current_setting('broadcast.tm_pending', true), '')::jsonb;
    IF v_pending IS NULL THEN
        RETURN NULL;  -- already written by the first of this transaction's deferred calls
    END IF;
    INSERT INTO tm_changes (language, changes)
        SELECT key, value::bigint FROM jsonb_each_text(v_pending)
        ON CONFLICT (language) DO UPDATE SET changes = tm_changes.changes + excluded.changes;
    PERFORM set_config('broadcast.tm_pending', '', true);
    RETURN NULL;
END;
$$;

CREATE TRIGGER br02_tm_segments_count_delete AFTER DELETE ON tm_segments
    FOR EACH ROW EXECUTE FUNCTION br_tm_count();
CREATE TRIGGER br03_tm_segments_count_insert AFTER INSERT ON tm_segments
    FOR EACH ROW EXECUTE FUNCTION br_tm_count();
CREATE CONSTRAINT TRIGGER br04_tm_segments_count_flush AFTER INSERT OR DELETE ON tm_segments
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION br_tm_count_flush();

-- The term base's change counter (one row, id 1, written by baseline.sql).
CREATE FUNCTION br_term_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE term_changes SET changes = changes + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER br01_terms_count_delete AFTER DELETE ON terms
    FOR EACH ROW EXECUTE FUNCTION br_term_count();
CREATE TRIGGER br02_terms_count_update AFTER UPDATE ON terms
    FOR EACH ROW EXECUTE FUNCTION br_term_count();
CREATE TRIGGER br03_terms_count_insert AFTER INSERT ON terms
    FOR EACH ROW EXECUTE FUNCTION br_term_count();
CREATE TRIGGER br01_term_forbidden_count_delete AFTER DELETE ON term_forbidden
    FOR EACH ROW EXECUTE FUNCTION br_term_count();
CREATE TRIGGER br02_term_forbidden_count_update AFTER UPDATE ON term_forbidden
    FOR EACH ROW EXECUTE FUNCTION br_term_count();
CREATE TRIGGER br03_term_forbidden_count_insert AFTER INSERT ON term_forbidden
    FOR EACH ROW EXECUTE FUNCTION br_term_count();

-- A script without a name is named after its slug (SQLite: an AFTER INSERT self-update).
CREATE FUNCTION br_scripts_name_default() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.name := NEW.slug;
    RETURN NEW;
END;
$$;

CREATE TRIGGER br01_scripts_name_default BEFORE INSERT ON scripts
    FOR EACH ROW WHEN (NEW.name IS NULL) EXECUTE FUNCTION br_scripts_name_default();
