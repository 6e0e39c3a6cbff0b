-- Drops the template databases the tests copy (tests/Panel.TestSupport/DatabaseTemplates.cs) that were built more than
-- a week ago, and any left half built: a test process that still needs one builds it again. Run by test.sh with psql;
-- a template being copied at that moment is not dropped (DROP DATABASE without FORCE fails and psql goes on).
SELECT format('ALTER DATABASE %I WITH IS_TEMPLATE false', d.datname),
       format('DROP DATABASE %I', d.datname)
  FROM pg_database d
 WHERE d.datname LIKE 'panel\_tmpl\_%'
   AND coalesce(substring(shobj_description(d.oid, 'pg_database') FROM 'created (\S+)$')::timestamptz, '-infinity')
       < now() - interval '7 days'
\gexec
