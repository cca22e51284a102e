// input: {"pageSize": 2}
async function main({ pageSize }) {
  const items = ['a', 'b', 'c', 'd', 'e'];
  const fetchPage = async (cursor) => { await null; const page = items.slice(cursor, cursor + pageSize); return { page, next: cursor + pageSize < items.length ? cursor + pageSize : null }; };
  const pages = [];
  let cursor = 0;
  while (cursor !== null) {
    const { page, next } = await fetchPage(cursor);
    pages.push(page);
    cursor = next;
  }
  return { pages, all: pages.flat() };
}
