console.log(`a\
b`, `c
d`.length);
