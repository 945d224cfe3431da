import sys, subprocess, time, re
records = open('records.sql').read()
def run(name, q):
    t=time.time()
    r=subprocess.run(['curl','-s','http://127.0.0.1:18933/?max_query_size=30000000','--data-binary','@-'],input=(q+'\nFORMAT Null').encode(),capture_output=True)
    print(f"{name}: {time.time()-t:.2f}s {r.stdout[:300]!r}", flush=True)
sums = 'SELECT count(), sum(pd_rec), sum(pd_rl), max(pd_strm), sum(pd_g_run), sum(pd_picos), sum(pd_tin), sum(pd_has_cost), sum(pd_costu) FROM '
a = records.index('ifNull(pdb_ts IN (SELECT toFloat64(arrayJoin([')
b = records.index(']))), 0)', a) + len(']))), 0)')
lit = records[a:b]
print(len(lit))
nolit = records[:a] + '0' + records[b:]
open('records_nolit.sql','w').write(nolit)
run('sums', sums+records)
run('sums no structure literal', sums+nolit)
sub = "ifNull(pdb_ts IN (SELECT toFloat64(timestamp) FROM execflow_test.jmh_pushdown_1000000 WHERE session_id='jmh-pushdown-1000000' AND role='structure'), 0)"
run('sums structure subquery (approx)', sums+records[:a] + sub + records[b:])
run('lit parse only', 'SELECT count() FROM (SELECT 1 FROM system.one WHERE 1.0 IN (SELECT toFloat64(arrayJoin([' + lit[len('ifNull(pdb_ts IN (SELECT toFloat64(arrayJoin(['):-len(']))), 0)')] + '])))))')
