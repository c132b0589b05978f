module adaptertests

go 1.22
