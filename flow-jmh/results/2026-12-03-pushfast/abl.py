import sys, subprocess, time, re
s = open('verify.sql').read().replace('FORMAT RowBinary', '').strip()
i = s.index('FROM (SELECT bitAnd(pd_rec')
j = s.rindex('\n  GROUP BY pd_k)')
per = s[i+6:j] + '\n  GROUP BY pd_k'
k = per.index('FROM (SELECT *, bitAnd(pd_rec')
records = per[k+5: per.rindex(' WHERE pd_rec != 0)')+len(' WHERE pd_rec != 0)')]  # "(SELECT *, ...)"
def run(name, q):
    t=time.time()
    r=subprocess.run(['curl','-s','http://127.0.0.1:18933/?max_query_size=30000000','--data-binary','@-'],input=(q+'\nFORMAT Null').encode(),capture_output=True)
    print(f"{name}: {time.time()-t:.2f}s {r.stdout[:300]!r}", flush=True)
open('records.sql','w').write(records)
open('pertrace.sql','w').write(per)
if 'full' in sys.argv: run('verify full', s)
run('pertrace only', per)
run('records sums', 'SELECT count(), sum(pd_rec), sum(pd_rl), max(pd_strm), sum(pd_g_run), sum(pd_picos), sum(pd_tin), sum(pd_has_cost), sum(pd_costu) FROM ' + records)
run('records count k', 'SELECT count(), sum(pd_rec) FROM ' + records)
