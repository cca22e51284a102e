var await = 5; console.log(await);
