import { Controller, Get, Header } from '@nestjs/common';
import { ViewService } from '../views/view.service';

@Controller()
export class HomeController {
  constructor(private readonly views: ViewService) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  home(): string {
    return this.views.render('home', { title: 'Home' });
  }
}
