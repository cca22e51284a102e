console.log(017, 08, 09.5, 0);
