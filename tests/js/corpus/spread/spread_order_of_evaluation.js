function main(input) {
  const log = [];
  const t = (v) => { log.push(v); return [v]; };
  const arr = [...t('a'), t('b')[0], ...t('c')];
  const obj = { x: (log.push('x'), 1), ...(log.push('spread'), { y: 2 }), z: (log.push('z'), 3) };
  return { arr, obj, log };
}
