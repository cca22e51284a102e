console.log(1 / -0, Object.is(-0, 0), -(0), 1/(-0));
