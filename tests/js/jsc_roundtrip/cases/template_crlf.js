console.log(`a
b`.charCodeAt(1), `xy`.length);
